#pragma once
// What `flagbench run` writes and `flagbench report` reads back: the
// "platespin.bench/1" document (see README). One cell per run × concurrency.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "result.hpp"
#include "server_counts.hpp"

namespace platespin::bench {

inline constexpr const char* kBenchSchema = "platespin.bench/1";

// One step of a run's schedule as it happened: what it set on which listener,
// when it was due and when the control API had applied it (the PUT's answer
// came), both in ms after the client process was started.
struct StepEffect {
  double at_ms = 0;
  std::string listener;
  nlohmann::json set;
  double applied_ms = 0;
};

// One client process: its own JSON, and what the OS says it cost (wait4 rusage).
struct Repetition {
  std::optional<ClientResult> client;  // absent when the client failed
  std::string failure;                 // why, when it failed
  int exit_code = 0;
  double wall_s = 0, cpu_s = 0;
  long peak_rss_kb = 0;
  // What the proxy listener or flag_server answered during the run; absent
  // when flagbench could not ask (external mode without a proxy_api).
  std::optional<ServerCounts> server;

  // The client reports more successes than the server served: it lies, or counts wrong.
  bool overclaims() const { return client && server && client->ok > server->ok(); }
  std::vector<StepEffect> schedule;  // the steps applied while it ran, in order
};

struct Spread {
  double median = 0, min = 0, max = 0;
};

// Over the repetitions that produced a result.
struct Aggregate {
  std::size_t repetitions = 0;  // that produced a result
  Spread items_per_s, elapsed_s, p50_ms, p99_ms, cpu_s, peak_rss_kb, requested, ok, not_found, errors;
  std::size_t server_repetitions = 0;  // that have server-side counts
  Spread server_ok, server_not_found, server_errors;
};

struct Verdict {
  std::string expectation;  // "items_per_s_min", ...
  double limit = 0, observed = 0;
  bool pass = false;
};

struct Cell {
  std::string run, client, server_label, url;
  std::string result = "platespin";  // how the client's outcome was read: platespin, flags2 or none
  std::string command;               // an outside client's command, as the scenario writes it (placeholders unfilled)
  int concurrency = 1;
  double delay_s = 0;            // mean injected delay behind the label
  double bound_items_per_s = 0;  // min(c, n) / d; 0 when there is no delay to bound it
  std::optional<double> reference_items_per_s;
  std::string reference_source;
  std::size_t schedule_steps = 0;  // steps in the run's schedule (each repetition records those applied)
  std::vector<Repetition> repetitions;
  Aggregate aggregate;
  std::vector<Verdict> verdicts;
  bool pass = true;

  // "run@c": how --compare matches cells of two results.
  std::string key() const { return run + "@" + std::to_string(concurrency); }
  double efficiency() const { return bound_items_per_s > 0 ? aggregate.items_per_s.median / bound_items_per_s : 0; }
};

struct BenchResult {
  std::string scenario, scenario_file, mode;  // mode: managed or external
  std::string scenario_yaml;                  // the scenario's text, to run it again
  std::string started_at, finished_at;
  nlohmann::json machine, versions;
  std::vector<Cell> cells;
  std::vector<std::string> skipped;  // "RUN: why" of runs that did not run (an {env:NAME} unset)
  bool pass = true;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Spread, median, min, max)
void to_json(nlohmann::json& j, const StepEffect& s);
void from_json(const nlohmann::json& j, StepEffect& s);
void to_json(nlohmann::json& j, const Repetition& r);
void from_json(const nlohmann::json& j, Repetition& r);
void to_json(nlohmann::json& j, const Cell& c);
void from_json(const nlohmann::json& j, Cell& c);
void to_json(nlohmann::json& j, const BenchResult& r);
// Throws std::invalid_argument when `j` is not a platespin.bench/1 document.
void from_json(const nlohmann::json& j, BenchResult& r);

// Reads a result file; throws std::runtime_error naming the file.
BenchResult read_bench_result(const std::string& path);

}  // namespace platespin::bench
