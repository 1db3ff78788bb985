#include "stats.hpp"

#include <algorithm>
#include <cmath>

namespace platespin {

double percentile(std::vector<double>& samples, double q) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(samples.size())));
  return samples[std::clamp<std::size_t>(rank, 1, samples.size()) - 1];
}

Percentiles summarize(std::vector<double> samples) {
  Percentiles p;
  p.p50 = percentile(samples, 0.50);
  p.p90 = percentile(samples, 0.90);
  p.p99 = percentile(samples, 0.99);
  p.max = percentile(samples, 1.0);
  return p;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace platespin
