#pragma once
// Pacing carried out: how many bytes the next write of a relay may carry and
// when it may start. The one throttle, slicer and limit that HTTP bodies and
// TCP streams both go through; no I/O here, the caller writes and waits.
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "fate.hpp"

namespace platespin::proxy {

class Pacer {
 public:
  using Clock = std::chrono::steady_clock;

  // `random` seeds the slice sizes (give or take the variation).
  explicit Pacer(const Pacing& pacing, std::uint64_t random = 0, Clock::time_point start = Clock::now());

  // At most how many of `available` bytes the next write carries: the limit's
  // rest, one slice, or a throttle step (a twentieth of a second's worth).
  std::size_t next_size(std::size_t available);
  // Records `n` bytes written; returns when the next write may start (its
  // rate's due time, or after the slice gap), at the earliest now.
  Clock::time_point wrote(std::size_t n, Clock::time_point now = Clock::now());
  // The limit is reached: the direction is cut.
  bool cut() const { return passed_ >= pacing_.limit; }
  // Nothing to do: writes go as they come.
  bool idle() const { return !pacing_.shaped(); }
  std::uint64_t passed() const { return passed_; }

 private:
  std::size_t slice_size();

  Pacing pacing_;
  std::uint64_t random_;
  Clock::time_point start_;
  std::uint64_t passed_ = 0;
  std::size_t slice_ = 0;  // the size drawn for the current slice
};

}  // namespace platespin::proxy
