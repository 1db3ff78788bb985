#pragma once
// The scenario's `proxy:` section: checked by chaos_proxy's own config reader,
// then written out as the proxy's config file with the addresses flagbench picks.
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "endpoint.hpp"
#include "scenario.hpp"
#include "yaml_reader.hpp"

namespace platespin::bench {

// Reads the listeners of `proxy` (the scenario's `proxy:` mapping); throws ConfigError.
std::vector<ListenerSpec> read_listeners(const YamlReader& yaml, const YAML::Node& proxy);

// chaos_proxy's config: the scenario's `proxy:` section with every listener on
// 127.0.0.1:0 (unless it names its own `listen`) in front of `backend`, and the control API on 127.0.0.1:0.
std::string proxy_config_yaml(const YAML::Node& proxy, const Endpoint& backend);

}  // namespace platespin::bench
