#pragma once
// A run's `schedule:`: changes to proxy listeners while the client runs,
// `{at: SECONDS, listener: NAME, set: {...}}` each, timed from the client's
// start; `set` is the body of the control API's PUT /proxies/NAME (behavior,
// a behavior parameter, toxics, max_connections, enabled). The proxy's own
// update() judges every step on a scratch copy of its listener, so a step the
// API would refuse is a ConfigError at FILE:LINE:COL before anything starts.
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "yaml_reader.hpp"

namespace platespin::bench {

struct Scenario;

struct ScheduleStep {
  double at_s = 0;       // after the client's start
  std::string listener;  // the proxy listener it changes
  nlohmann::json set;    // what PUT /proxies/NAME gets
};
using Schedule = std::vector<ScheduleStep>;

// Reads a run's `schedule:` list. Managed mode checks each step against the
// scenario's `proxy:` listeners as configured; external mode needs
// `proxy_api:` and checks against a default HTTP listener (the names are the
// proxy's, known only when it runs). Steps must be in time order.
Schedule read_schedule(const YamlReader& yaml, const YAML::Node& node, const Scenario& scenario);

// A YAML value as JSON: plain scalars as numbers, true/false or null when they
// read as one, text otherwise (quoted scalars always text); lists and maps in kind.
nlohmann::json json_of(const YAML::Node& node);

}  // namespace platespin::bench
