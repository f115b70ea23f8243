// libFuzzer target for the IRC protocol library: parses every line of the input, checks that
// LineBuilder output re-parses to the same command and parameters, and exercises tag lookup
// and mask matching. Any disagreement aborts so the fuzzer reports it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "protocol/irc/line_builder.h"
#include "protocol/irc/mask.h"
#include "protocol/irc/message.h"

namespace {

using salon::irc::LineBuilder;
using salon::irc::Message;
using salon::irc::ParseError;

void Check(bool ok) {
  if (!ok) std::abort();
}

// What LineBuilder makes of a parameter: it rewrites line-breaking bytes (which the parser
// accepts mid-line) so that the output stays one line.
std::string Sanitized(std::string_view p, char replacement) {
  std::string out(p);
  for (char& c : out) {
    if (c == '\r' || c == '\n' || c == '\0') c = replacement;
  }
  return out;
}

void RoundTrip(const Message& m) {
  std::string line;
  LineBuilder b(&line);
  b.Begin(m.tags, m.source, m.command);
  for (std::size_t i = 0; i < m.param_count; ++i) {
    if (i + 1 == m.param_count) {
      b.Last(m.params[i]);
    } else {
      b.Param(m.params[i]);
    }
  }
  b.End();
  Check(line.size() >= 2 && line.compare(line.size() - 2, 2, "\r\n") == 0);
  line.resize(line.size() - 2);
  Check(line.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos);

  Message again;
  ParseError err = salon::irc::Parse(line, &again);
  Check(err == ParseError::kNone);
  // The trailing form may add one ':' to a line that was at the body limit, which is then cut.
  if (again.truncated) return;
  Check(again.command == m.command);
  Check(again.param_count == m.param_count);
  for (std::size_t i = 0; i < m.param_count; ++i) {
    bool last = i + 1 == m.param_count;
    Check(again.params[i] == Sanitized(m.params[i], last ? ' ' : '_'));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);

  std::string_view rest = input;
  while (true) {
    std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    Message m;
    ParseError err = salon::irc::Parse(line, &m);
    if (err == ParseError::kNone) {
      Check(!m.command.empty());
      Check(m.param_count <= salon::irc::kMaxParams);
      RoundTrip(m);
      std::string value;
      salon::irc::FindTag(m.tags, "msgid", &value);
      salon::irc::ForEachTag(m.tags, [&](std::string_view key, std::string_view raw) {
        std::string unescaped = salon::irc::UnescapeTagValue(raw);
        Check(salon::irc::UnescapeTagValue(salon::irc::EscapeTagValue(unescaped)) == unescaped);
        Check(salon::irc::FindTag(m.tags, key, nullptr));
      });
    }
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }

  std::string_view pattern = input.substr(0, size / 2);
  std::string_view text = input.substr(size / 2);
  salon::irc::MatchMask(pattern, text);
  // A pattern without wildcards or escapes matches itself, whatever its case.
  if (text.find_first_of("*?\\") == std::string_view::npos)
    Check(salon::irc::MatchMask(text, text));
  Check(salon::irc::MatchMask("*", text));
  salon::irc::NormalizeMask(pattern);
  return 0;
}
