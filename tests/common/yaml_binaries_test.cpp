// What common/yaml_reader refuses, through both binaries that read YAML:
// exit 2 and FILE:LINE:COL on stderr, never SIGABRT.
#include <gtest/gtest.h>

#include <fstream>

#include "run_command.hpp"
#include "services.hpp"

using namespace platespin;
using namespace platespin::test;

namespace {

CommandResult run(const std::string& name, const std::vector<std::string>& args, const std::filesystem::path& dir) {
  return run_command(binary(name).string(), args, dir, std::chrono::seconds(30));
}

std::filesystem::path write(const std::filesystem::path& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir / name, std::ios::binary) << text;
  return dir / name;
}

}  // namespace

TEST(YamlInBinaries, NonScalarKeysAndNonUtf8TextExitTwoWithTheirPosition) {
  const auto dir = temp_dir("yaml-binaries");
  struct Case {
    std::string text, position;
  };
  const std::vector<Case> cases{
      {"? [a, b]\n: 1\n", ":1:3: a key must be"},
      {"listeners:\n  - {[1]: x}\n", ":2:6: a key must be"},
      {"name: caf\xe9\n", ":1:7: text that is not valid UTF-8"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto file = write(dir, "case" + std::to_string(i) + ".yaml", cases[i].text);
    for (const auto& [name, args] : std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"flagbench", {"validate", file.string()}}, {"chaos_proxy", {"--config", file.string()}}}) {
      SCOPED_TRACE(name + " " + cases[i].position);
      const CommandResult o = run(name, args, dir);
      EXPECT_EQ(o.signal, 0) << o.err;
      EXPECT_EQ(o.exit_code, 2) << o.err;
      EXPECT_NE(o.err.find(file.string() + cases[i].position), std::string::npos) << o.err;
    }
  }
  std::filesystem::remove_all(dir);
}
