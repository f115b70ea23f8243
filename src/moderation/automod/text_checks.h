// Small text measurements automod needs besides its pattern sets: what counts as a letter of a
// word (for whole-word matching), IRC formatting removal (so that "id\x02iot" is still found),
// the share of capitals, and the nick-like tokens of a message (mention spam). Pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace salon::moderation::automod {

// True when the character that ends just before `pos` (UTF-8, walking back over continuation
// bytes) is part of a word: an ASCII letter, digit or '_', or a non-ASCII letter (anything
// above U+007F outside the punctuation, symbol and emoji blocks). False at the start.
bool WordCharBefore(std::string_view text, std::size_t pos);
// The same for the character that starts at `pos`; false at the end.
bool WordCharAt(std::string_view text, std::size_t pos);

// The text without IRC formatting codes (bold, colours with their numbers, italics, reset...).
// Returns `text` itself when it has none (no copy), else a view of *buffer.
std::string_view StripFormatting(std::string_view text, std::string* buffer);

// Letters and upper-case letters of `text`: ASCII and the Latin-1 / Latin Extended-A letters
// (French, German, Spanish... "É" counts as upper case).
struct CaseCount {
  uint32_t letters = 0;
  uint32_t upper = 0;
};
CaseCount CountCase(std::string_view text);

// Calls visit(token) for each maximal run of characters allowed in a nick (letters, digits and
// []\`_^{|}-), ASCII only; at most `max_tokens` calls.
template <typename Visit>
void ForEachNickToken(std::string_view text, std::size_t max_tokens, Visit visit) {
  auto nick_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '[' ||
           c == ']' || c == '\\' || c == '`' || c == '_' || c == '^' || c == '{' || c == '|' ||
           c == '}' || c == '-';
  };
  std::size_t i = 0;
  std::size_t seen = 0;
  while (i < text.size() && seen < max_tokens) {
    while (i < text.size() && !nick_char(text[i])) ++i;
    std::size_t start = i;
    while (i < text.size() && nick_char(text[i])) ++i;
    if (i > start) {
      ++seen;
      visit(text.substr(start, i - start));
    }
  }
}

// A hash of the text for repeat detection: case-insensitive (ASCII), spaces at either end and
// runs of spaces ignored, so "Buy now" and "buy  now " are the same message.
uint64_t RepeatHash(std::string_view text);

}  // namespace salon::moderation::automod
