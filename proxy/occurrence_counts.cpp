#include "occurrence_counts.hpp"

#include "decision.hpp"

namespace platespin::proxy {

std::uint64_t OccurrenceCounts::next(std::string_view method, std::string_view target) {
  if (slots_.empty()) slots_.resize(kSlots);
  // The seeded roll with no seed is a well-mixed hash of the request; 0 marks an empty slot.
  const std::uint64_t key = seeded_roll(0, "", method, target, 0) | 1;
  const std::size_t home = key & (kSlots - 1);
  // Linear probing; a table filled to kExact stops taking new keys.
  for (std::size_t i = home;; i = (i + 1) & (kSlots - 1)) {
    Slot& slot = slots_[i];
    if (slot.key == key) return slot.seen++;
    if (slot.key == 0) {
      if (used_ >= kExact) break;
      slot.key = key;
      ++used_;
      return slot.seen++;
    }
  }
  if (shared_.empty()) shared_.resize(kShared);
  return shared_[(key >> 16) & (kShared - 1)]++;
}

void OccurrenceCounts::clear() {
  std::vector<Slot>().swap(slots_);  // gives the memory back
  std::vector<std::uint64_t>().swap(shared_);
  used_ = 0;
}

}  // namespace platespin::proxy
