#pragma once
// `flagbench run`: starts (or finds) the services, runs every cell of the
// matrix round by round, and writes the JSON, the SVG, the HTML page and the table.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scenario.hpp"

namespace platespin::bench {

struct RunOptions {
  std::filesystem::path out_dir = "results";
  std::optional<int> rounds;  // overrides every run's
  std::string svg_file;            // empty: next to the JSON
};

// Returns the exit code: 0 all expectations hold, 1 one failed or something
// broke, 130/143 after SIGINT/SIGTERM. Every child is gone when it returns.
int run_scenario(const Scenario& scenario, const RunOptions& options);

// The base name of a result: SCENARIO-20261125T143000Z.
std::string result_stem(const std::string& scenario, const std::string& utc_timestamp);

}  // namespace platespin::bench
