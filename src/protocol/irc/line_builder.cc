// Serializes outgoing IRC lines. Every byte a client receives goes through here, so it
// enforces the line structure itself instead of trusting callers: a parameter can never split
// into two, and no CR/LF/NUL can start a forged second line.
#include "protocol/irc/line_builder.h"

#include <charconv>

namespace salon::irc {
namespace {

bool BreaksLine(char c) { return c == '\r' || c == '\n' || c == '\0'; }

// Appends s, replacing bytes that would end the word (space) or the line by '_'.
void AppendWord(std::string* out, std::string_view s) {
  std::size_t start = out->size();
  out->append(s);
  for (std::size_t i = start; i < out->size(); ++i) {
    char& c = (*out)[i];
    if (c == ' ' || BreaksLine(c)) c = '_';
  }
}

// Appends s, replacing only the bytes that would end the line by ' '.
void AppendText(std::string* out, std::string_view s) {
  std::size_t start = out->size();
  out->append(s);
  for (std::size_t i = start; i < out->size(); ++i) {
    char& c = (*out)[i];
    if (BreaksLine(c)) c = ' ';
  }
}

}  // namespace

LineBuilder& LineBuilder::Begin(std::string_view tags, std::string_view source,
                                std::string_view command) {
  if (!tags.empty()) {
    out_->push_back('@');
    AppendWord(out_, tags);
    out_->push_back(' ');
  }
  if (!source.empty()) {
    out_->push_back(':');
    AppendWord(out_, source);
    out_->push_back(' ');
  }
  AppendWord(out_, command);
  return *this;
}

LineBuilder& LineBuilder::Param(std::string_view p) {
  // Violating the REQUIRES would shift every later parameter (a space splits this one, a ':'
  // swallows the rest of the line, an empty one vanishes). A middle parameter cannot use the
  // trailing form, so degrade it visibly but keep the line's shape: empty -> "*", spaces ->
  // '_', a leading ':' -> '_'.
  out_->push_back(' ');
  if (p.empty()) {
    out_->push_back('*');
    return *this;
  }
  std::size_t start = out_->size();
  AppendWord(out_, p);
  if ((*out_)[start] == ':') (*out_)[start] = '_';
  return *this;
}

LineBuilder& LineBuilder::Param(long long n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), n);
  (void)ec;  // 24 bytes always fit a 64-bit integer
  out_->push_back(' ');
  out_->append(buf, end);
  return *this;
}

LineBuilder& LineBuilder::Trailing(std::string_view p) {
  out_->append(" :");
  AppendText(out_, p);
  return *this;
}

LineBuilder& LineBuilder::Last(std::string_view p) {
  bool needs_colon = p.empty() || p[0] == ':';
  for (char c : p) {
    // CR/LF/NUL become spaces below, so they need the trailing form too.
    if (c == ' ' || BreaksLine(c)) {
      needs_colon = true;
      break;
    }
  }
  if (needs_colon) return Trailing(p);
  out_->push_back(' ');
  out_->append(p);
  return *this;
}

void LineBuilder::End() { out_->append("\r\n"); }

}  // namespace salon::irc
