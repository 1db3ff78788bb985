// chaos_proxy's seeded decision, taken once per proxied request: the roll
// (a hash of seed, listener, method, target, occurrence) and the fate it picks.
#include <benchmark/benchmark.h>

#include "decision.hpp"

namespace {

using namespace platespin::proxy;

void BM_SeededDecision(benchmark::State& state) {
  const BehaviorMix mix = parse_behavior_mix("25:error,50:delay", Protocol::http);
  const BehaviorParams params;
  std::uint64_t occurrence = 0;
  for (auto _ : state) {
    const std::uint64_t roll = seeded_roll(42, "ERROR", "GET", "/flags/br/br.gif", occurrence++);
    benchmark::DoNotOptimize(decide_fate(mix, params, roll));
  }
}
BENCHMARK(BM_SeededDecision);

}  // namespace
