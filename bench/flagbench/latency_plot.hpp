#pragma once
// The latency distribution of a run's cells on one plot: for each
// concurrency, the share of requests answered within t (a CDF), t on a log
// scale, so 100 and 1,000 in flight can be compared at a glance.
#include <string>
#include <vector>

#include "bench_result.hpp"

namespace platespin::bench {

// Points a curve is drawn with: a quantile every 1/200th, whatever the count.
inline constexpr std::size_t kLatencyCurvePoints = 200;

// One <svg class="latency"> element; the latencies of every repetition of a
// cell are pooled into its curve. Cells without items draw no curve.
std::string latency_svg(const std::vector<const Cell*>& cells);

}  // namespace platespin::bench
