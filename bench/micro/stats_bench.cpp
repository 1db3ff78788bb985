// The latency percentiles every client run computes (common/stats.hpp):
// 676 samples for the AA..ZZ sweep, 20,000 for c10k.yaml.
#include <benchmark/benchmark.h>

#include <random>

#include "stats.hpp"

namespace {

void BM_Summarize(benchmark::State& state) {
  std::mt19937_64 random(1);
  std::exponential_distribution<double> latency(1 / 50.0);
  std::vector<double> samples(static_cast<std::size_t>(state.range(0)));
  for (auto& s : samples) s = latency(random);
  for (auto _ : state) benchmark::DoNotOptimize(platespin::summarize(samples));  // copies: it sorts
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Summarize)->Arg(676)->Arg(20000);

}  // namespace
