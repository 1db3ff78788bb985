#pragma once
// The result as a picture: one bar per cell, items/s on a log scale, the
// min–max of the repetitions as a whisker, the latency bound as a red tick and
// the talk's figure as a blue diamond. Readable without the table.
#include <string>

#include "bench_result.hpp"

namespace platespin::bench {

// A standalone SVG file.
std::string svg_chart(const BenchResult& result);
// The same chart as one <svg> element, to place inside the HTML page.
std::string svg_chart_element(const BenchResult& result);

}  // namespace platespin::bench
