// LineBuilder appends well-formed IRC lines to a byte string. It is the single place that
// decides when a parameter needs the ':' trailing form, so callers cannot produce lines that
// parse differently than intended.
#pragma once

#include <string>
#include <string_view>

namespace salon::irc {

class LineBuilder {
 public:
  explicit LineBuilder(std::string* out) : out_(out) {}

  // Starts a line: optional tag section (without '@'), optional source (without ':'), command.
  LineBuilder& Begin(std::string_view tags, std::string_view source, std::string_view command);
  // A middle parameter. REQUIRES: non-empty, no space, does not start with ':'.
  LineBuilder& Param(std::string_view p);
  // Decimal integer parameter.
  LineBuilder& Param(long long n);
  // The last parameter, always written with ':' (safe for any content but CR/LF/NUL, which are
  // replaced by spaces so that a reply can never inject a second line).
  LineBuilder& Trailing(std::string_view p);
  // The last parameter, written with ':' only when needed (empty, has space, starts with ':').
  LineBuilder& Last(std::string_view p);
  // Terminates the line with CRLF.
  void End();

 private:
  std::string* out_;
};

}  // namespace salon::irc
