#pragma once
// Runs one of the downloaders (or a spinner) as a process and collects what it
// printed, its exit code and, when asked for, its JSON result.
#include <filesystem>
#include <string>
#include <vector>

#include "result.hpp"

namespace platespin::test {

struct ClientRun {
  int exit_code = -1;
  std::string out, err;
  ClientResult result;  // filled from --json when the run wrote it
};

// Runs `name` with `args` in `work` (a temp dir); adds `--json work/NAME.json`
// when `with_json`. Waits at most `timeout_s`.
ClientRun run_client(const std::string& name, std::vector<std::string> args, const std::filesystem::path& work,
                     bool with_json = true, int timeout_s = 120);

// The three downloaders.
inline const std::vector<std::string> kClients{"flags_sequential", "flags_threadpool", "flags_async"};

}  // namespace platespin::test
