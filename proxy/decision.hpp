#pragma once
// Reproducible chaos: with a seed, the fate of a request is a pure function of
// (seed, listener, method, target, how many times this listener saw that
// target before), so the same URLs get the same faults in every run whatever
// the concurrency or the arrival order. No Beast here: flagbench
// micro-benchmarks decide_fate.
#include <cstdint>
#include <string_view>

#include "behaviors/behavior.hpp"
#include "proxy_config.hpp"

namespace platespin::proxy {

// 64 well-mixed bits from the inputs (FNV-1a over them, then SplitMix64's finalizer).
std::uint64_t seeded_roll(std::uint64_t seed, std::string_view listener, std::string_view method,
                          std::string_view target, std::uint64_t occurrence);

// What happens to a request that rolled `roll`: its percentage (roll % 100)
// picks the share of the mix it falls in, in the order written; past the sum
// it passes through (behavior "dummy"). The rest of the roll's bits feed the
// behavior's own choices (error code, jitter).
Fate decide_fate(const BehaviorMix& mix, const BehaviorParams& params, std::uint64_t roll);

}  // namespace platespin::proxy
