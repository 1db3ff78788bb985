#pragma once
// The Markdown tables flagbench prints: one row per cell of a result, and the
// side-by-side of two results that `report --compare` prints.
#include <string>

#include "bench_result.hpp"

namespace platespin::bench {

// Items/s as people read them: 1.92, 37.4, 1352.
std::string format_rate(double items_per_s);

std::string markdown_table(const BenchResult& result);

// Each cell of `now` against the cell with the same run and concurrency in
// `before`: items/s of both and their ratio. `worst_ratio` gets the lowest
// ratio over the cells both have (1 when none).
std::string compare_table(const BenchResult& now, const BenchResult& before, double& worst_ratio);

}  // namespace platespin::bench
