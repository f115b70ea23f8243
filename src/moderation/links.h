// Finding links in message text, for the link policy of automod and the "new here" limits.
// A link is anything with a scheme (http://, https://), starting with "www.", or a bare
// domain with a common top-level domain ("bit.ly/x", "example.com"): bare words with a dot
// and an unknown ending ("e.g.", "3.14", "ok...ok") are not links, so that ordinary text
// from new users is not refused.
#pragma once

#include <string_view>
#include <vector>

namespace salon::moderation {

// The host of each link in `text`, lower-cased ASCII as written ("www.example.com"),
// in order. Views into a thread-local buffer: valid until the next call.
std::vector<std::string_view> LinkHosts(std::string_view text);

bool ContainsLink(std::string_view text);

// True when `host` is `domain` or a subdomain of it (both lower case): "a.b.example.com"
// is within "example.com", "badexample.com" is not.
bool HostWithin(std::string_view host, std::string_view domain);

}  // namespace salon::moderation
