#include "client_run.hpp"

#include <fstream>
#include <sstream>

#include "run_command.hpp"
#include "services.hpp"

namespace platespin::test {

ClientRun run_client(const std::string& name, std::vector<std::string> args, const std::filesystem::path& work,
                     bool with_json, int timeout_s) {
  const auto json = work / (name + ".json");
  std::filesystem::remove(json);
  if (with_json) {
    args.push_back("--json");
    args.push_back(json.string());
  }
  ClientRun run;
  static_cast<CommandResult&>(run) = run_command(binary(name).string(), args, work, std::chrono::seconds(timeout_s));
  if (with_json && std::filesystem::exists(json)) run.result = nlohmann::json::parse(read_file(json)).get<ClientResult>();
  return run;
}

void expect_saved_flags(const std::filesystem::path& dest, std::size_t count) {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dest)) {
    ++files;
    const std::string name = entry.path().stem().string();
    EXPECT_EQ(read_file(entry.path()), read_file(data_root() / "flags" / name / (name + ".gif"))) << name;
  }
  EXPECT_EQ(files, count);
}

}  // namespace platespin::test
