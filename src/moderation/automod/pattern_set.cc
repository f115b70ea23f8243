// One rule list as one Hyperscan database: see pattern_set.h.
#include "moderation/automod/pattern_set.h"

#include <fmt/format.h>
#include <hs.h>

#include <utility>

#include "moderation/automod/text_checks.h"

namespace salon::moderation::automod {
namespace {

// A word as a Hyperscan literal: letters and digits as they are, every other byte as \xHH,
// so that no character of the word is read as regex syntax (and UTF-8 bytes match as bytes).
std::string EscapeLiteral(std::string_view word) {
  std::string out;
  out.reserve(word.size() * 2);
  for (char c : word) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (plain) {
      out.push_back(c);
    } else {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    }
  }
  return out;
}

}  // namespace

PatternSet::~PatternSet() { hs_free_database(db_); }

PatternSet::PatternSet(PatternSet&& other) noexcept
    : entries_(std::move(other.entries_)), db_(std::exchange(other.db_, nullptr)) {}

PatternSet& PatternSet::operator=(PatternSet&& other) noexcept {
  if (this != &other) {
    hs_free_database(db_);
    entries_ = std::move(other.entries_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

void PatternSet::AddWord(std::string_view word, uint32_t rule, int line, uint8_t surfaces) {
  entries_.push_back({EscapeLiteral(word), std::string(word), rule,
                      static_cast<uint32_t>(word.size()), line, surfaces, true});
}

void PatternSet::AddPattern(std::string_view pattern, uint32_t rule, int line, uint8_t surfaces) {
  entries_.push_back({std::string(pattern), std::string(pattern), rule, 0, line, surfaces, false});
}

Result<bool> PatternSet::Compile() {
  if (entries_.empty()) return true;
  std::vector<const char*> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  expressions.reserve(entries_.size());
  flags.reserve(entries_.size());
  ids.reserve(entries_.size());
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    expressions.push_back(e.expression.c_str());
    // A word is reported at every occurrence: the first may fail the whole-word check and a
    // later one pass ("class ass"). A pattern is reported once.
    flags.push_back(e.word ? HS_FLAG_CASELESS
                           : HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_SINGLEMATCH);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_compile_error_t* error = nullptr;
  hs_database_t* db = nullptr;
  hs_error_t status =
      hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(entries_.size()), HS_MODE_BLOCK, nullptr, &db, &error);
  if (status != HS_SUCCESS) {
    std::string message;
    if (error != nullptr && error->expression >= 0 &&
        static_cast<std::size_t>(error->expression) < entries_.size()) {
      const Entry& e = entries_[static_cast<std::size_t>(error->expression)];
      message = fmt::format("{}: {} \"{}\": {}", e.line, e.word ? "word" : "pattern", e.source,
                            error->message);
    } else {
      message = fmt::format("0: the pattern set does not compile: {}",
                            error != nullptr ? error->message : "unknown error");
    }
    hs_free_compile_error(error);
    return Error{message};
  }
  hs_free_database(db_);
  db_ = db;
  return true;
}

uint32_t PatternSet::Scan(std::string_view text, uint8_t surface, hs_scratch* scratch,
                          uint32_t below) const {
  if (db_ == nullptr || text.empty()) return kNoMatch;
  struct State {
    std::string_view text;
    const std::vector<Entry>* entries;
    uint32_t best;
    uint8_t surface;
  } state{text, &entries_, below, surface};
  auto on_match = [](unsigned id, unsigned long long, unsigned long long to, unsigned,
                     void* context) -> int {
    auto* s = static_cast<State*>(context);
    const Entry& e = (*s->entries)[id];
    if (e.rule >= s->best || (e.surfaces & s->surface) == 0) return 0;
    if (e.word) {
      const std::size_t end = static_cast<std::size_t>(to);
      const std::size_t start = end - e.length;
      // Only an edge that is itself a word character needs a boundary: "@everyone" is found
      // in "x@everyone", "idiot" is not found in "idiots".
      if (WordCharAt(e.source, 0) && WordCharBefore(s->text, start)) return 0;
      if (WordCharBefore(e.source, e.source.size()) && WordCharAt(s->text, end)) return 0;
    }
    s->best = e.rule;
    return 0;
  };
  hs_scan(db_, text.data(), static_cast<unsigned>(text.size()), 0, scratch, on_match, &state);
  return state.best == below ? kNoMatch : state.best;
}

}  // namespace salon::moderation::automod
