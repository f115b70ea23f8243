// IRC message parsing (modern IRC client protocol + IRCv3 message-tags).
//
// Parse() splits one line (without CR/LF) into views over the caller's buffer: nothing is
// copied, so the Message is only valid while the line is. The parser never allocates and
// never throws; malformed input yields a ParseError the caller turns into a numeric.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace salon::irc {

// Limits from the protocol (IRCv3 message-tags, "Size limit"): 512 bytes for the non-tag part
// including CRLF; 8191 bytes for a whole tag section including its '@' and trailing space, of
// which a client may send at most 4094 bytes of tag data (the part between '@' and the space,
// client-only tags and others alike), the rest being the server's to add.
inline constexpr std::size_t kMaxLineBody = 512;
inline constexpr std::size_t kMaxTagsLength = 8191;
inline constexpr std::size_t kMaxClientTagData = 4094;
inline constexpr std::size_t kMaxParams = 15;

enum class ParseError {
  kNone,
  kEmpty,        // blank line or only tags/source: ignored silently by servers
  kTagsTooLong,  // tag data over kMaxClientTagData (ERR_INPUTTOOLONG 417, nothing relayed)
  kBadCommand,   // command neither letters nor a 3-digit numeric
  kNulByte,      // NUL inside the line
};

struct Message {
  std::string_view tags;     // raw tag section without the leading '@', may be empty
  std::string_view source;   // without the leading ':', may be empty
  std::string_view command;  // as sent (case preserved; callers compare case-insensitively)
  std::array<std::string_view, kMaxParams> params{};
  std::size_t param_count = 0;
  // The non-tag part was longer than 510 bytes and was cut there (on a UTF-8 character
  // boundary) before parsing, as RFC 1459 and the modern protocol allow.
  bool truncated = false;

  // The explicit kMaxParams bound also keeps g++ -O2 -Warray-bounds quiet.
  std::string_view Param(std::size_t i) const {
    return i < param_count && i < kMaxParams ? params[i] : std::string_view();
  }
};

// Parses a line received from a client. REQUIRES: line has no trailing CR or LF.
ParseError Parse(std::string_view line, Message* out);

// Tag access over Message::tags. Keys compare exactly; the value is unescaped per IRCv3.
// Returns false when the key is absent. A key present without value yields an empty value.
bool FindTag(std::string_view tags, std::string_view key, std::string* value);

// Calls fn(key, raw_value) for each tag in order; raw_value is still escaped.
template <typename Fn>
void ForEachTag(std::string_view tags, Fn&& fn) {
  while (!tags.empty()) {
    std::size_t semi = tags.find(';');
    std::string_view item = tags.substr(0, semi);
    std::size_t eq = item.find('=');
    if (!item.empty()) {
      fn(item.substr(0, eq),
         eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1));
    }
    if (semi == std::string_view::npos) break;
    tags.remove_prefix(semi + 1);
  }
}

std::string EscapeTagValue(std::string_view raw);
std::string UnescapeTagValue(std::string_view escaped);

// Case-insensitive ASCII comparison for command names.
bool CommandIs(std::string_view command, std::string_view upper_name);

}  // namespace salon::irc
