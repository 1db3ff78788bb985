// chaos_proxy's seeded decision, taken once per proxied request: the roll
// (a hash of seed, listener, method, target, occurrence) and the fate it picks.
#include <benchmark/benchmark.h>

#include "decision.hpp"

namespace {

using namespace platespin::proxy;

void BM_SeededDecision(benchmark::State& state) {
  ListenerConfig listener;
  listener.name = "ERROR";
  listener.behaviors = parse_behavior_mix("25:error,50:delay", Protocol::http);
  std::uint64_t occurrence = 0;
  for (auto _ : state) {
    const std::uint64_t roll = seeded_roll(42, "ERROR", "GET", "/flags/br/br.gif", occurrence++);
    benchmark::DoNotOptimize(decide_http_fate(listener, roll));
  }
}
BENCHMARK(BM_SeededDecision);

// The same with two toxics stacked after the mix (one hits 30 % of the time).
void BM_SeededDecisionWithToxics(benchmark::State& state) {
  ListenerConfig listener;
  listener.name = "ERROR";
  listener.behaviors = parse_behavior_mix("25:error,50:delay", Protocol::http);
  listener.toxics.push_back(toxic_from_command_line("latency,latency=100", Protocol::http));
  listener.toxics.push_back(toxic_from_command_line("http_error@0.3,codes=503", Protocol::http));
  std::uint64_t occurrence = 0;
  for (auto _ : state) {
    const std::uint64_t roll = seeded_roll(42, "ERROR", "GET", "/flags/br/br.gif", occurrence++);
    benchmark::DoNotOptimize(decide_http_fate(listener, roll));
  }
}
BENCHMARK(BM_SeededDecisionWithToxics);

}  // namespace
