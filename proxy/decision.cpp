#include "decision.hpp"

namespace platespin::proxy {

namespace {

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

std::uint64_t fnv1a(std::uint64_t hash, std::string_view bytes) {
  for (const char c : bytes) hash = (hash ^ static_cast<unsigned char>(c)) * kFnvPrime;
  return (hash ^ 0xffU) * kFnvPrime;  // a field separator, so ("ab","c") differs from ("a","bc")
}

std::uint64_t fnv1a(std::uint64_t hash, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) hash = (hash ^ ((value >> (8 * i)) & 0xffU)) * kFnvPrime;
  return hash;
}

std::uint64_t splitmix64_finish(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::uint64_t seeded_roll(std::uint64_t seed, std::string_view listener, std::string_view method,
                          std::string_view target, std::uint64_t occurrence) {
  std::uint64_t h = fnv1a(kFnvOffset, seed);
  h = fnv1a(h, listener);
  h = fnv1a(h, method);
  h = fnv1a(h, target);
  h = fnv1a(h, occurrence);
  return splitmix64_finish(h);
}

Fate decide_fate(const BehaviorMix& mix, const BehaviorParams& params, std::uint64_t roll) {
  Fate fate;
  const int percent = static_cast<int>(roll % 100);
  // The behavior's own randomness must not depend on the percentage: mix again.
  const std::uint64_t rest = splitmix64_finish(roll + 0x9e3779b97f4a7c15ULL);
  int upto = 0;
  for (const auto& share : mix) {
    upto += share.percent;
    if (percent < upto) {
      find_behavior(share.name)->shape(fate, params, rest);
      return fate;
    }
  }
  return fate;
}

}  // namespace platespin::proxy
