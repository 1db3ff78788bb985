#pragma once
// The result as one page to look at: the summary table, the items/s chart,
// per run the latency curves of its cells, per cell the timeline of its
// requests, and where it was measured. One self-contained XHTML file (inline
// SVG and CSS, no script, nothing fetched) that prints as it shows.
#include <string>

#include "bench_result.hpp"

namespace platespin::bench {

std::string html_report(const BenchResult& result);

}  // namespace platespin::bench
