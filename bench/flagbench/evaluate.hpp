#pragma once
// From repetitions to a verdict: medians and ranges, the latency bound, and
// the scenario's expectations checked like k6 thresholds.
#include "bench_result.hpp"
#include "scenario.hpp"

namespace platespin::bench {

Aggregate aggregate(const std::vector<Repetition>& repetitions);

// The throughput latency allows (Little's law): min(c, n) / d items/s, 0 when d is 0.
double latency_bound(int concurrency, double items, double delay_s);

// Rates and p99 are checked on the median; exact counts on every repetition
// (min and max both); errors_max and recovered_within_s on the worst (see
// recovery.hpp; -1 when one never recovered). A failed client fails the cell.
std::vector<Verdict> check(const Expectations& expect, const Cell& cell);

// Fills the aggregate, the bound, the verdicts and the pass flag of `cell`.
void evaluate(Cell& cell, const Expectations& expect);

}  // namespace platespin::bench
