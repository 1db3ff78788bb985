#pragma once
// The services a scenario runs against. Managed mode starts flag_server and
// one chaos_proxy on free ports; external mode only checks that the given
// endpoints answer. Children are SIGKILLed and reaped when this goes away.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "scenario.hpp"
#include "server_counts.hpp"

namespace platespin::bench {

struct Services {
  std::map<std::string, std::string> urls;  // label -> base URL the clients get with -s
  std::vector<std::unique_ptr<ChildProcess>> children;
  std::optional<Endpoint> proxy_api;  // chaos_proxy's control API: ours, or the scenario's proxy_api

  // Makes the proxy forget what it saw (POST /reset), so the seeded faults of
  // a client run do not depend on the runs before it. Throws std::runtime_error.
  void reset_proxy() const;

  // Where each label's requests are counted: flag_server's GET /metrics (LOCAL)
  // or the proxy listener of that name (GET /proxies/NAME on proxy_api).
  std::optional<Endpoint> flag_server;
  std::vector<std::string> proxy_listeners;

  // What the label's server or listener has answered so far, by status; none
  // when there is nothing to ask or it does not answer.
  std::optional<ServerCounts> counts_of(const std::string& label) const;
  // What it answered since `before` (counts_of before the client started),
  // less flagbench's own GET /metrics of `before`.
  std::optional<ServerCounts> served_since(const std::string& label, const std::optional<ServerCounts>& before) const;

  // SIGTERM, then reap every child (SIGKILL after a grace period).
  void stop();
};

// Throws std::runtime_error saying what did not come up (with the child's
// stderr), or which fixed port is taken (then before starting anything).
Services start_services(const Scenario& scenario, const std::filesystem::path& work_dir);

// The last lines of a log file, for error messages.
std::string tail_of(const std::filesystem::path& file, std::size_t max_lines = 5);

// The binary `name` beside flagbench.
std::filesystem::path sibling_binary(const std::string& name);

}  // namespace platespin::bench
