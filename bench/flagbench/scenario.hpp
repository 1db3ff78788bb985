#pragma once
// A flagbench scenario: what to start (server, proxy listeners) or where the
// services already are (endpoints), and the matrix of client runs with their
// expectations. Loaded from YAML; every mistake is a ConfigError naming
// FILE:LINE:COL, found before anything starts.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "endpoint.hpp"
#include "schedule.hpp"
#include "yaml_reader.hpp"

namespace platespin::bench {

// k6-style thresholds of one run, checked against the aggregate of its repetitions.
struct Expectations {
  std::optional<double> items_per_s_min, items_per_s_max, p99_ms_max;
  // With a schedule: seconds from the last step's effect to the first request
  // after which none failed (see recovery.hpp).
  std::optional<double> recovered_within_s;
  std::optional<std::size_t> errors_max, errors, ok, not_found;
};

struct RunSpec {
  std::string name;
  std::string client;        // sequential, threadpool or async
  std::string server;        // LOCAL, a proxy listener name or an endpoint label
  std::vector<int> concurrency;
  std::vector<std::string> code_args;  // the client's code arguments: -e, -a or codes/letters
  std::optional<int> limit;
  std::optional<int> passes;           // the client's --repeat: passes over the code list
  std::optional<double> timeout;       // the client's --timeout
  std::optional<int> retries;          // the client's --retries
  std::vector<std::string> args;       // more client options, passed as they are
  int rounds = 1;                      // how often flagbench runs each cell
  double time_limit_s = 300;           // a client process running longer is killed
  std::optional<double> reference_items_per_s;  // the talk's figure, shown beside ours
  std::string reference_source;
  Expectations expect;
  // An outside client (`command:` instead of `client:`): its words with
  // placeholders (command_template.hpp), what it adds to the environment, its
  // working folder (relative to the scenario's folder, which is the default),
  // and how flagbench reads what it did.
  std::vector<std::string> command;
  std::map<std::string, std::string> env;
  std::string cwd;
  std::string result = "platespin";  // platespin (the JSON at {json}), flags2 (the book's report lines), none
  // The environment variables its {env:NAME} placeholders need: unset, the run is skipped.
  std::vector<std::string> env_needed;
  std::filesystem::path scenario_dir;  // what a relative cwd (after its placeholders) is taken from

  bool is_command() const { return !command.empty(); }
  Schedule schedule;  // proxy changes while the client runs
};

// What flagbench needs to know of a proxy listener (chaos_proxy's own reader
// checks the rest).
struct ListenerSpec {
  std::string name;
  double mean_delay_s = 0;  // the delay a request gets on average: the bound's d
  std::optional<Endpoint> listen;  // fixed (listen: 127.0.0.1:8002); none: a free port
};

struct Scenario {
  std::string name;
  std::filesystem::path file;
  std::filesystem::path data_root;  // empty: the built data set
  std::optional<int> server_threads;
  std::optional<int> server_port;  // fixed (server: {port: 8001}); none: a free port
  YAML::Node proxy;  // the `proxy:` section, copied into chaos_proxy's config
  std::vector<ListenerSpec> listeners;
  std::map<std::string, std::string> endpoints;  // external mode: LABEL -> base URL
  std::optional<Endpoint> proxy_api;             // external mode: a chaos_proxy API to reset before each run
  std::vector<RunSpec> runs;
  std::vector<std::string> warnings;  // FILE:LINE:COL: what still works but is going away

  bool external() const { return !endpoints.empty(); }
  // The labels a run may name in this mode.
  std::vector<std::string> labels() const;
  // The mean injected delay behind a label (0 when none is known).
  double mean_delay_s(const std::string& label) const;
};

// What the command line changes in a scenario.
struct ScenarioOverrides {
  std::map<std::string, std::string> endpoints;  // --endpoint LABEL=URL, merged over the file's
  std::vector<std::string> only;                 // --only RUN: keep these runs (all when empty)
};

// Reads and checks a scenario; the runs --only drops are checked but may name
// labels the (external) mode lacks. Throws ConfigError, or std::invalid_argument
// for an --only naming no run.
Scenario load_scenario(const std::string& path, const ScenarioOverrides& overrides = {});
Scenario parse_scenario(const YamlReader& yaml, const ScenarioOverrides& overrides = {});

// "LABEL=URL" as --endpoint takes it; throws std::invalid_argument.
std::pair<std::string, std::string> parse_endpoint_option(const std::string& text);

}  // namespace platespin::bench
