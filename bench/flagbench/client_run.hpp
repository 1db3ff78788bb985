#pragma once
// Runs one downloader process (flags_sequential, flags_threadpool or
// flags_async) with --json and collects its result and its rusage.
#include <filesystem>
#include <string>
#include <vector>

#include "bench_result.hpp"
#include "scenario.hpp"
#include "scheduled_changes.hpp"

namespace platespin::bench {

// The client's command line for one cell.
std::vector<std::string> client_arguments(const RunSpec& run, int concurrency, const std::string& url,
                                          const std::filesystem::path& json_file);

// Runs the client and waits for it (killing it after run.time_limit_s). A
// client that fails gives a Repetition with `failure` set, not an exception.
// Throws Interrupted when SIGINT/SIGTERM arrives meanwhile. `changes`, when
// given, is started with the client and its due steps applied while it runs.
Repetition run_client(const RunSpec& run, int concurrency, const std::string& url,
                      const std::filesystem::path& work_dir, ScheduledChanges* changes = nullptr);

}  // namespace platespin::bench
