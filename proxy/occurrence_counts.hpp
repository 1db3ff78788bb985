#pragma once
// How many times a listener saw each request (method and target) before: the
// `n` of the seeded decision. Bounded whatever the traffic: a fixed table of
// 64-bit hashes, allocated at the first request and freed on reset. Each of
// the first kExact distinct requests gets a counter of its own (a hash
// collision between two of them is as likely as 1 in 2^40); past that, new
// ones share kShared counters by hash (never those of the first ones), which
// still gives the same fates to the same request sequence, only no longer at
// any arrival order.
#include <cstdint>
#include <string_view>
#include <vector>

namespace platespin::proxy {

class OccurrenceCounts {
 public:
  static constexpr std::size_t kSlots = 1 << 16;  // 1 MiB
  static constexpr std::size_t kExact = kSlots / 2;
  static constexpr std::size_t kShared = 1 << 12;

  // The times `method` `target` was seen before this one.
  std::uint64_t next(std::string_view method, std::string_view target);
  void clear();
  std::size_t distinct() const { return used_; }
  std::size_t memory_bytes() const {
    return slots_.capacity() * sizeof(Slot) + shared_.capacity() * sizeof(std::uint64_t);
  }

 private:
  struct Slot {
    std::uint64_t key = 0;  // 0: empty
    std::uint64_t seen = 0;
  };
  std::vector<Slot> slots_;
  std::vector<std::uint64_t> shared_;  // allocated when the table is full
  std::size_t used_ = 0;
};

}  // namespace platespin::proxy
