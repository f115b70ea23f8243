// PatternSet: the words and regular expressions of one rule list (server-wide, or one room)
// compiled into a single Hyperscan database, so that a message is scanned once however many
// patterns there are. Words are literals matched in any case and only as whole words (the
// boundary is checked on each match, which compiles far faster than \b in 10,000 patterns);
// patterns are Hyperscan expressions (PCRE syntax without back-references or look-around),
// matched in any case, UTF-8.
//
// Immutable once compiled; Scan() needs a scratch space allocated for this database
// (hs_alloc_scratch) and used by one thread at a time (Ruleset owns one for all its sets).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

struct hs_database;
struct hs_scratch;

namespace salon::moderation::automod {

class PatternSet {
 public:
  static constexpr uint32_t kNoMatch = std::numeric_limits<uint32_t>::max();

  PatternSet() = default;
  ~PatternSet();
  PatternSet(PatternSet&& other) noexcept;
  PatternSet& operator=(PatternSet&& other) noexcept;
  PatternSet(const PatternSet&) = delete;
  PatternSet& operator=(const PatternSet&) = delete;

  // `rule` is the caller's rule number, returned by Scan(); `line` names the source in errors;
  // `surfaces` is a bit set of the caller's (which texts the rule applies to).
  void AddWord(std::string_view word, uint32_t rule, int line, uint8_t surfaces);
  void AddPattern(std::string_view pattern, uint32_t rule, int line, uint8_t surfaces);

  // Compiles everything added. On failure: "<line>: pattern \"...\": <Hyperscan's reason>"
  // with line the offending entry's (the caller prefixes the file).
  Result<bool> Compile();
  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  hs_database* database() const { return db_; }

  // The lowest rule number below `below` whose entry has `surface` among its surfaces and
  // whose word or pattern is in `text`, or kNoMatch. REQUIRES: text is valid UTF-8 (the core
  // relays nothing else).
  uint32_t Scan(std::string_view text, uint8_t surface, hs_scratch* scratch,
                uint32_t below = kNoMatch) const;

 private:
  struct Entry {
    std::string expression;  // as given to Hyperscan
    std::string source;      // as written, for errors
    uint32_t rule;
    uint32_t length;  // bytes of a word (0 for a pattern)
    int line;
    uint8_t surfaces;
    bool word;
  };
  std::vector<Entry> entries_;
  hs_database* db_ = nullptr;
};

}  // namespace salon::moderation::automod
