#pragma once
// Runs one of the downloaders (or a spinner) as a process and collects what it
// printed, its exit code and, when asked for, its JSON result.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <memory>

#include "result.hpp"
#include "run_command.hpp"
#include "services.hpp"

namespace platespin::test {

struct ClientRun : CommandResult {
  ClientResult result;  // filled from --json when the run wrote it
};

// Runs `name` with `args` in `work` (a temp dir); adds `--json work/NAME.json`
// when `with_json`. Waits at most `timeout_s`.
ClientRun run_client(const std::string& name, std::vector<std::string> args, const std::filesystem::path& work,
                     bool with_json = true, int timeout_s = 120);

// Every file in `dest` is the data set's flag of its name, and there are `count` of them.
void expect_saved_flags(const std::filesystem::path& dest, std::size_t count);

// A suite whose tests share one flag_server and each get a fresh work directory.
class FlagServerSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<Service>(start_flag_server()); }
  static void TearDownTestSuite() { server_.reset(); }
  void TearDown() override { std::filesystem::remove_all(work_); }

  static inline std::unique_ptr<Service> server_;
  std::filesystem::path work_ = temp_dir("clients");
};

// The three downloaders.
inline const std::vector<std::string> kClients{"flags_sequential", "flags_threadpool", "flags_async"};

}  // namespace platespin::test
