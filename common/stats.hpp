#pragma once
// Percentiles of latency samples (nearest-rank, as wrk and k6 report them).
#include <vector>

namespace platespin {

struct Percentiles {
  double p50 = 0, p90 = 0, p99 = 0, max = 0;
};

// The q-quantile (0 <= q <= 1) by nearest rank; 0 for no samples. Sorts `samples`.
double percentile(std::vector<double>& samples, double q);

Percentiles summarize(std::vector<double> samples);

// The median of a few values (repetitions): the mean of the middle two for an even count.
double median(std::vector<double> values);

}  // namespace platespin
