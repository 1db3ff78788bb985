#pragma once
// Runs one client process of a cell and collects its result and its rusage:
// one of our downloaders (flags_sequential, flags_threadpool, flags_async)
// with --json, or an outside command, read as its run's `result:` says.
#include <filesystem>
#include <string>
#include <vector>

#include "bench_result.hpp"
#include "scenario.hpp"
#include "scheduled_changes.hpp"

namespace platespin::bench {

// Our client's command line for one cell.
std::vector<std::string> client_arguments(const RunSpec& run, int concurrency, const std::string& url,
                                          const std::filesystem::path& json_file);

// The codes a run requests, as its client would: sorted, unique, cut to `limit`.
std::vector<std::string> requested_codes(const RunSpec& run);

// Runs the client and waits for it (killing it after run.time_limit_s). A
// client that fails gives a Repetition with `failure` set, not an exception.
// Throws Interrupted when SIGINT/SIGTERM arrives meanwhile. `changes`, when
// given, is started with the client and its due steps applied while it runs.
Repetition run_client(const RunSpec& run, int concurrency, const std::string& url,
                      const std::filesystem::path& work_dir, ScheduledChanges* changes = nullptr);

}  // namespace platespin::bench
