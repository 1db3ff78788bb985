#pragma once
// The Markdown tables flagbench prints: one row per cell of a result, and the
// side-by-side of two results that `report --compare` prints.
#include <string>
#include <vector>

#include "bench_result.hpp"

namespace platespin::bench {

// Items/s as people read them: 1.92, 37.4, 1352.
std::string format_rate(double items_per_s);

// The summary's columns and rows, the same in the Markdown table and on the
// HTML page. The rows leave out the verdict: each output marks a failure its way.
struct SummaryColumn {
  std::string name;
  bool right_aligned;
};
struct SummaryRow {
  std::vector<std::string> fields;  // one per column but the last (verdict)
  bool pass;
  std::string failures;  // "ok 18 (got 17); ..." when !pass
};
const std::vector<SummaryColumn>& summary_columns();
std::vector<SummaryRow> summary_rows(const BenchResult& result);

inline constexpr const char* kBoundNote =
    "bound: min(c, n) / d, the most items/s a client with c requests in flight can get "
    "when each waits d s on average (Little's law); eff. = items/s / bound.";

std::string markdown_table(const BenchResult& result);

// Each cell of `now` against the cell with the same run and concurrency in
// `before`: items/s of both and their ratio. `worst_ratio` gets the lowest
// ratio over the cells both have (1 when none).
std::string compare_table(const BenchResult& now, const BenchResult& before, double& worst_ratio);

}  // namespace platespin::bench
