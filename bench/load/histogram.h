// Histogram — a log-linear latency histogram (HDR-like, < 1% relative error).
//
// Values are nanoseconds. Each power of two is split into 128 linear sub-buckets, so a recorded
// value is known to within 1/128 of itself. Owned by one worker; merged in the parent after it
// travels over a pipe as sparse "index:count" pairs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace salon::bench {

class Histogram {
 public:
  Histogram();

  void Record(uint64_t value_ns);
  void Merge(const Histogram& other);

  uint64_t Count() const { return count_; }
  uint64_t Max() const { return max_; }
  // Value at quantile q in [0, 1] (midpoint of its bucket); 0 when empty.
  uint64_t Quantile(double q) const;

  // "i:c,i:c,..." of the non-empty buckets, then ";max". Parse() accepts exactly that.
  std::string Serialize() const;
  bool Parse(const std::string& text);

 private:
  static constexpr int kSubBits = 7;
  static constexpr int kSub = 1 << kSubBits;
  static size_t IndexOf(uint64_t v);
  static uint64_t LowerBound(size_t index);

  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  uint64_t max_ = 0;
};

}  // namespace salon::bench
