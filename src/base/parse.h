// Small parsers of untrusted text shared by commands and the web API: a whole decimal integer
// within bounds, and one parameter of a URL query string.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace salon::base {

// `text` as a decimal integer from `min` to `max`, all of it (no sign but '-', no spaces);
// nullopt otherwise.
std::optional<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max);

// The percent-decoded value of parameter `name` in a query ("q=a%2Fb&limit=5": "q" -> "a/b";
// '+' is a space). False, and *value untouched, when the parameter is absent.
bool QueryParam(std::string_view query, std::string_view name, std::string* value);

}  // namespace salon::base
