// ForEachLine: splits text into IRC lines (LF-separated, an optional CR before the LF dropped,
// empty lines skipped). Used where a transport carries whole lines in one unit (a WebSocket
// message, a queued reply) rather than a byte stream.
#pragma once

#include <string_view>

namespace salon::net {

template <typename Fn>
void ForEachLine(std::string_view text, Fn&& fn) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::size_t stop = end;
    if (stop > pos && text[stop - 1] == '\r') --stop;
    if (stop > pos) fn(text.substr(pos, stop - pos));
    pos = end + 1;
  }
}

}  // namespace salon::net
