#pragma once
// The result as a picture: one bar per cell, items/s on a log scale, the
// min–max of the repetitions as a whisker, the latency bound as a red tick and
// the talk's figure as a blue diamond. Readable without the table.
#include <string>

#include "bench_result.hpp"

namespace platespin::bench {

std::string svg_chart(const BenchResult& result);

}  // namespace platespin::bench
