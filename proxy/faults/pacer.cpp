#include "pacer.hpp"

#include <algorithm>

namespace platespin::proxy {

namespace {

// A throttled stream is written in about this many pieces a second.
constexpr std::uint64_t kThrottleStepsPerSecond = 20;
constexpr std::uint64_t kLargestStep = 64 * 1024;

// SplitMix64: the next of a reproducible sequence.
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

Pacer::Pacer(const Pacing& pacing, std::uint64_t random, Clock::time_point start)
    : pacing_(pacing), random_(random), start_(start) {}

std::size_t Pacer::slice_size() {
  if (slice_ == 0) {
    const std::uint64_t v = pacing_.slice_variation;
    const std::uint64_t offset = v == 0 ? 0 : next_random(random_) % (2 * v + 1);
    slice_ = static_cast<std::size_t>(std::max<std::uint64_t>(1, pacing_.slice_bytes + offset - v));
  }
  return slice_;
}

std::size_t Pacer::next_size(std::size_t available) {
  std::uint64_t n = std::min<std::uint64_t>(available, pacing_.limit - std::min(passed_, pacing_.limit));
  if (pacing_.slice_bytes > 0) n = std::min<std::uint64_t>(n, slice_size());
  if (pacing_.rate_bps > 0)
    n = std::min(n, std::clamp<std::uint64_t>(pacing_.rate_bps / kThrottleStepsPerSecond, 1, kLargestStep));
  return static_cast<std::size_t>(n);
}

Pacer::Clock::time_point Pacer::wrote(std::size_t n, Clock::time_point now) {
  passed_ += n;
  Clock::time_point due = now;
  if (pacing_.rate_bps > 0)
    due = std::max(due, start_ + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::microseconds(passed_ * 1'000'000 / pacing_.rate_bps)));
  if (pacing_.slice_bytes > 0 && n > 0) {
    slice_ = 0;  // the next write is a new slice
    due = std::max(due, now + pacing_.slice_gap);
  }
  return due;
}

}  // namespace platespin::proxy
