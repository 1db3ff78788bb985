#include "flagbench_invocation.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <stdexcept>

#include "run_command.hpp"
#include "services.hpp"

namespace platespin::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

Invocation flagbench(const std::vector<std::string>& args, const fs::path& dir) {
  return run_command(binary("flagbench").string(), args, dir, 180s);
}

fs::path write(const fs::path& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir / name) << text;
  return dir / name;
}

nlohmann::json result_in(const fs::path& dir) {
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".json") return nlohmann::json::parse(read_file(entry.path()));
  ADD_FAILURE() << "no result JSON in " << dir;
  return {};
}

const nlohmann::json& cell(const nlohmann::json& result, const std::string& run) {
  for (const auto& c : result.at("runs"))
    if (c.at("run") == run) return c;
  throw std::runtime_error("no run " + run);
}

}  // namespace platespin::test
