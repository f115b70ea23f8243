// Text measurements for automod: see text_checks.h. Written by hand: they are a few lines each
// and run on every message, where a Unicode library's full tables would cost more than the
// approximation is worth (documented in docs/moderation.md).
#include "moderation/automod/text_checks.h"

namespace salon::moderation::automod {
namespace {

// Decodes the UTF-8 character starting at text[pos]; invalid bytes decode as themselves.
uint32_t DecodeAt(std::string_view text, std::size_t pos, std::size_t* length) {
  const auto b0 = static_cast<unsigned char>(text[pos]);
  auto cont = [&](std::size_t i) -> int {
    if (pos + i >= text.size()) return -1;
    auto b = static_cast<unsigned char>(text[pos + i]);
    return (b & 0xC0) == 0x80 ? (b & 0x3F) : -1;
  };
  *length = 1;
  if (b0 < 0x80) return b0;
  if ((b0 & 0xE0) == 0xC0) {
    int c1 = cont(1);
    if (c1 < 0) return b0;
    *length = 2;
    return ((b0 & 0x1Fu) << 6) | static_cast<uint32_t>(c1);
  }
  if ((b0 & 0xF0) == 0xE0) {
    int c1 = cont(1), c2 = cont(2);
    if (c1 < 0 || c2 < 0) return b0;
    *length = 3;
    return ((b0 & 0x0Fu) << 12) | (static_cast<uint32_t>(c1) << 6) | static_cast<uint32_t>(c2);
  }
  if ((b0 & 0xF8) == 0xF0) {
    int c1 = cont(1), c2 = cont(2), c3 = cont(3);
    if (c1 < 0 || c2 < 0 || c3 < 0) return b0;
    *length = 4;
    return ((b0 & 0x07u) << 18) | (static_cast<uint32_t>(c1) << 12) |
           (static_cast<uint32_t>(c2) << 6) | static_cast<uint32_t>(c3);
  }
  return b0;
}

bool IsWordCodepoint(uint32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
           cp == '_';
  }
  if (cp <= 0xBF) return false;                      // C1 controls, NBSP, « », Latin-1 symbols
  if (cp == 0xD7 || cp == 0xF7) return false;        // × ÷
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;    // punctuation, symbols, arrows, shapes
  if (cp >= 0x3000 && cp <= 0x303F) return false;    // CJK punctuation
  if (cp >= 0xFE00 && cp <= 0xFE0F) return false;    // variation selectors
  if (cp >= 0x1F000 && cp <= 0x1FFFF) return false;  // emoji and pictographs
  return true;
}

}  // namespace

bool WordCharAt(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return false;
  std::size_t length;
  return IsWordCodepoint(DecodeAt(text, pos, &length));
}

bool WordCharBefore(std::string_view text, std::size_t pos) {
  if (pos == 0 || pos > text.size()) return false;
  std::size_t start = pos - 1;
  // Back over at most three continuation bytes to the lead byte.
  for (int i = 0; i < 3 && start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80;
       ++i) {
    --start;
  }
  return WordCharAt(text, start);
}

std::string_view StripFormatting(std::string_view text, std::string* buffer) {
  bool any = false;
  for (char c : text) {
    auto b = static_cast<unsigned char>(c);
    if (b < 0x20 && b != 0x01) {  // \x01 frames CTCP ACTION: a word boundary, kept
      any = true;
      break;
    }
  }
  if (!any) return text;
  buffer->clear();
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  auto hex = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\x03') {  // colour: up to two digits, optionally ",<up to two digits>"
      std::size_t j = i + 1;
      for (int n = 0; n < 2 && j < text.size() && digit(text[j]); ++n) ++j;
      if (j > i + 1 && j + 1 < text.size() && text[j] == ',' && digit(text[j + 1])) {
        ++j;
        for (int n = 0; n < 2 && j < text.size() && digit(text[j]); ++n) ++j;
      }
      i = j - 1;
      continue;
    }
    if (c == '\x04') {  // hex colour: six hex digits, optionally ",<six>"
      std::size_t j = i + 1;
      for (int n = 0; n < 6 && j < text.size() && hex(text[j]); ++n) ++j;
      if (j == i + 7 && j + 1 < text.size() && text[j] == ',') {
        std::size_t k = j + 1;
        for (int n = 0; n < 6 && k < text.size() && hex(text[k]); ++n) ++k;
        if (k == j + 7) j = k;
      }
      i = j - 1;
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20 && c != '\x01' && c != '\n') continue;
    buffer->push_back(c);
  }
  return *buffer;
}

CaseCount CountCase(std::string_view text) {
  CaseCount count;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length;
    uint32_t cp = DecodeAt(text, i, &length);
    i += length;
    if ((cp >= 'a' && cp <= 'z')) {
      ++count.letters;
    } else if (cp >= 'A' && cp <= 'Z') {
      ++count.letters;
      ++count.upper;
    } else if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) {
      ++count.letters;
      ++count.upper;
    } else if (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) {
      ++count.letters;
    } else if (cp >= 0x100 && cp <= 0x17F) {
      // Latin Extended-A alternates upper (even) and lower (odd), with a few exceptions that
      // do not matter for a share.
      ++count.letters;
      if (cp % 2 == 0) ++count.upper;
    }
  }
  return count;
}

uint64_t RepeatHash(std::string_view text) {
  uint64_t hash = 1469598103934665603ull;  // FNV-1a
  bool pending_space = false;
  bool started = false;
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      pending_space = started;
      continue;
    }
    if (pending_space) {
      hash = (hash ^ ' ') * 1099511628211ull;
      pending_space = false;
    }
    started = true;
    char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    hash = (hash ^ static_cast<unsigned char>(lower)) * 1099511628211ull;
  }
  return hash;
}

}  // namespace salon::moderation::automod
