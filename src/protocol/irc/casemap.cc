// rfc1459 casemapping. Folding runs on every nick/channel lookup, so FoldChar is a single
// table load built at compile time.
#include "protocol/irc/casemap.h"

#include <array>

namespace salon::irc {
namespace {

constexpr std::array<char, 256> MakeFoldTable() {
  std::array<char, 256> table{};
  for (int i = 0; i < 256; ++i) table[i] = static_cast<char>(i);
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = static_cast<char>(c - 'A' + 'a');
  // rfc1459 treats []\~ as the upper case of {}|^ (Scandinavian heritage of the protocol).
  table['['] = '{';
  table[']'] = '}';
  table['\\'] = '|';
  table['~'] = '^';
  return table;
}

constexpr std::array<char, 256> kFoldTable = MakeFoldTable();

}  // namespace

char FoldChar(char c) { return kFoldTable[static_cast<unsigned char>(c)]; }

std::string Fold(std::string_view s) {
  std::string out(s);
  FoldInPlace(&out);
  return out;
}

void FoldInPlace(std::string* s) {
  for (char& c : *s) c = FoldChar(c);
}

bool EqualsFolded(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (FoldChar(a[i]) != FoldChar(b[i])) return false;
  }
  return true;
}

}  // namespace salon::irc
