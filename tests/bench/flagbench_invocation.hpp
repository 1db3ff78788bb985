#pragma once
// Running the real flagbench binary from a test, and reading what it wrote.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run_command.hpp"

namespace platespin::test {

using Invocation = CommandResult;

// flagbench with `args`, run in `dir`; waits for it.
Invocation flagbench(const std::vector<std::string>& args, const std::filesystem::path& dir);

// Writes `text` to dir/name and returns the path.
std::filesystem::path write(const std::filesystem::path& dir, const std::string& name, const std::string& text);

// The one result JSON flagbench wrote into `dir`.
nlohmann::json result_in(const std::filesystem::path& dir);

// The cell of run `run` in a result.
const nlohmann::json& cell(const nlohmann::json& result, const std::string& run);

}  // namespace platespin::test
