#include "histogram.h"

#include <bit>
#include <cstdlib>

namespace salon::bench {

Histogram::Histogram() : buckets_(kSub + (64 - kSubBits) * kSub, 0) {}

size_t Histogram::IndexOf(uint64_t v) {
  if (v < kSub) return v;
  int e = 63 - std::countl_zero(v);  // e >= kSubBits
  uint64_t mantissa = (v >> (e - kSubBits)) & (kSub - 1);
  return kSub + static_cast<size_t>(e - kSubBits) * kSub + mantissa;
}

uint64_t Histogram::LowerBound(size_t index) {
  if (index < kSub) return index;
  size_t e = (index - kSub) / kSub + kSubBits;
  uint64_t mantissa = (index - kSub) % kSub;
  return (uint64_t{1} << e) + (mantissa << (e - kSubBits));
}

void Histogram::Record(uint64_t value_ns) {
  buckets_[IndexOf(value_ns)]++;
  count_++;
  if (value_ns > max_) max_ = value_ns;
}

void Histogram::Merge(const Histogram& other) {
  for (size_t i = 0; i < buckets_.size(); i++) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  if (other.max_ > max_) max_ = other.max_;
}

uint64_t Histogram::Quantile(double q) const {
  if (count_ == 0) return 0;
  uint64_t rank = static_cast<uint64_t>(q * static_cast<double>(count_));
  if (rank >= count_) rank = count_ - 1;
  uint64_t seen = 0;
  for (size_t i = 0; i < buckets_.size(); i++) {
    seen += buckets_[i];
    if (seen > rank) {
      uint64_t lo = LowerBound(i);
      uint64_t hi = i + 1 < buckets_.size() ? LowerBound(i + 1) : lo;
      uint64_t mid = lo + (hi - lo) / 2;
      return mid > max_ ? max_ : mid;
    }
  }
  return max_;
}

std::string Histogram::Serialize() const {
  std::string out;
  for (size_t i = 0; i < buckets_.size(); i++) {
    if (buckets_[i] == 0) continue;
    if (!out.empty()) out += ',';
    out += std::to_string(i) + ':' + std::to_string(buckets_[i]);
  }
  out += ';' + std::to_string(max_);
  return out;
}

bool Histogram::Parse(const std::string& text) {
  const char* p = text.c_str();
  while (*p && *p != ';') {
    char* end;
    unsigned long long index = std::strtoull(p, &end, 10);
    if (*end != ':' || index >= buckets_.size()) return false;
    unsigned long long n = std::strtoull(end + 1, &end, 10);
    buckets_[index] += n;
    count_ += n;
    p = end;
    if (*p == ',') p++;
  }
  if (*p != ';') return false;
  uint64_t m = std::strtoull(p + 1, nullptr, 10);
  if (m > max_) max_ = m;
  return true;
}

}  // namespace salon::bench
