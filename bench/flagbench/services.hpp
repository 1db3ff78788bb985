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

namespace platespin::bench {

struct Services {
  std::map<std::string, std::string> urls;  // label -> base URL the clients get with -s
  std::vector<std::unique_ptr<ChildProcess>> children;
  std::optional<Endpoint> proxy_api;  // chaos_proxy's control API: ours, or the scenario's proxy_api

  // Makes the proxy forget what it saw (POST /reset), so the seeded faults of
  // a client run do not depend on the runs before it. Throws std::runtime_error.
  void reset_proxy() const;

  // SIGTERM, then reap every child (SIGKILL after a grace period).
  void stop();
};

// Throws std::runtime_error saying what did not come up (with the child's stderr).
Services start_services(const Scenario& scenario, const std::filesystem::path& work_dir);

// The last lines of a log file, for error messages.
std::string tail_of(const std::filesystem::path& file, std::size_t max_lines = 5);

// The binary `name` beside flagbench.
std::filesystem::path sibling_binary(const std::string& name);

}  // namespace platespin::bench
