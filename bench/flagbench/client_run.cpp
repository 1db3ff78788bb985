#include "client_run.hpp"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <fmt/format.h>

#include "child_process.hpp"
#include "interrupt.hpp"
#include "services.hpp"

namespace platespin::bench {

using namespace std::chrono_literals;

std::vector<std::string> client_arguments(const RunSpec& run, int concurrency, const std::string& url,
                                          const std::filesystem::path& json_file) {
  // The run's label pointed at its URL: the client's report says "DELAY site:"
  // as the book's does, not "URL site:", and its JSON carries the label.
  const bool label = !run.server.empty() && run.server.find_first_of(":=/") == std::string::npos;
  std::vector<std::string> args = {"-m", std::to_string(concurrency), "--json", json_file.string(), "--no-save"};
  if (label)
    args.insert(args.begin(), {"--site", run.server + "=" + url, "-s", run.server});
  else
    args.insert(args.begin(), {"-s", url});
  const auto add = [&](const char* flag, const std::string& value) { args.insert(args.end(), {flag, value}); };
  if (run.limit) add("-l", std::to_string(*run.limit));
  if (run.repeat) add("--repeat", std::to_string(*run.repeat));
  if (run.timeout) add("--timeout", fmt::format("{}", *run.timeout));
  if (run.retries) add("--retries", std::to_string(*run.retries));
  args.insert(args.end(), run.args.begin(), run.args.end());
  args.insert(args.end(), run.code_args.begin(), run.code_args.end());
  return args;
}

Repetition run_client(const RunSpec& run, int concurrency, const std::string& url,
                      const std::filesystem::path& work_dir, ScheduledChanges* changes) {
  const std::string exe = "flags_" + run.client;
  const auto stem = work_dir / (run.name + "-c" + std::to_string(concurrency));
  const auto json_file = stem.string() + ".json", out_file = stem.string() + ".stdout",
             err_file = stem.string() + ".stderr";
  // Left from the previous repetition; the stdout/stderr files are overwritten, not truncated.
  for (const auto& stale : {json_file, out_file, err_file}) std::filesystem::remove(stale);

  Repetition rep;
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + std::chrono::duration<double>(run.time_limit_s);
  ChildProcess child(sibling_binary(exe), client_arguments(run, concurrency, url, json_file),
                     ChildOptions{false, out_file, err_file, {}});
  if (changes) changes->start(std::chrono::steady_clock::now());
  // Wakes at the deadline or the next step, whichever comes first (rounded
  // up, so that it never wakes just before a step and spins).
  const auto wait_for = [&] {
    auto until = std::chrono::time_point_cast<std::chrono::steady_clock::duration>(deadline);
    if (const auto due = changes ? changes->next_due() : std::nullopt) until = std::min(until, *due);
    return std::max(std::chrono::ceil<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()),
                    std::chrono::milliseconds(0));
  };
  if (changes) changes->apply_due(std::chrono::steady_clock::now());  // steps at 0
  bool timed_out = false;
  while (!child.await_exit(wait_for(), interrupt_fd())) {
    if (interrupted()) {
      child.signal(SIGTERM);
      child.wait(5s);
      throw Interrupted();
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      timed_out = true;
      child.signal(SIGTERM);
      break;
    }
    if (changes) changes->apply_due(std::chrono::steady_clock::now());
  }
  if (changes) rep.schedule = changes->effects();
  const ChildExit exit = child.wait(5s);
  rep.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  rep.exit_code = exit.signal ? 128 + exit.signal : exit.exit_code;
  rep.cpu_s = exit.cpu_s;
  rep.peak_rss_kb = exit.peak_rss_kb;

  if (timed_out) {
    rep.failure = exe + fmt::format(" ran longer than the run's time_limit of {} s", run.time_limit_s);
  } else if (rep.exit_code != 0) {
    rep.failure = exe + " exited with " + std::to_string(rep.exit_code) + "\n" + tail_of(err_file);
  } else {
    try {
      std::ifstream in(json_file);
      if (!in) throw std::runtime_error("it wrote no " + json_file);
      rep.client = nlohmann::json::parse(in).get<ClientResult>();
    } catch (const std::exception& e) {
      rep.failure = exe + "'s result is unreadable: " + e.what();
    }
  }
  return rep;
}

}  // namespace platespin::bench
