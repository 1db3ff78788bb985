#pragma once
// chaos_proxy's configuration: the listeners of a proxies YAML file (or of a
// `proxy:` section of a flagbench scenario), and Vaurien's behavior strings
// ("25:error,50:delay") and toxic lists that the command line, the YAML and
// the control API share.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "endpoint.hpp"
#include "fault.hpp"
#include "protocol.hpp"
#include "toxic_config.hpp"
#include "yaml_reader.hpp"

namespace platespin::proxy {

// One "PERCENT:NAME" term of a behavior string.
struct BehaviorShare {
  std::string name;
  int percent = 0;
  const Fault* behavior = nullptr;
};
// The shares in the order written; the rest of 100 % passes through untouched.
using BehaviorMix = std::vector<BehaviorShare>;

// Parses "25:error,50:delay" (an empty string: everything passes through).
// Throws std::invalid_argument on a bad number, an unknown behavior, one that
// does not work with `protocol`, or a sum over 100.
BehaviorMix parse_behavior_mix(std::string_view text, Protocol protocol);
// A listener's name goes into URLs (/proxies/NAME), JSON and Prometheus labels:
// 1 to 100 of A-Z a-z 0-9 . _ : -. Throws std::invalid_argument saying so.
void validate_listener_name(std::string_view name);
std::string to_string(const BehaviorMix& mix);

// The parameters of all behaviors (Vaurien's --behavior-* options), each
// declared by its behavior; a listener holds one value of each.
Parameters behavior_parameters();
// `given` checked, the rest the defaults; throws std::invalid_argument naming the bad parameter.
Values behavior_values(const nlohmann::json& given = nlohmann::json::object());

struct ListenerConfig {
  std::string name;
  Endpoint listen;
  Endpoint backend;
  Protocol protocol = Protocol::http;
  BehaviorMix behaviors;
  Values params = behavior_values();
  Toxics toxics;  // applied in this order, after the mix's behavior
  std::uint64_t max_connections = 0;  // concurrent client connections; 0: no limit
  bool enabled = true;                // listening from the start
};

struct ProxyConfig {
  std::optional<Endpoint> api;
  std::vector<std::string> allow_listen;  // CIDR ranges the API may open listeners in; empty: anywhere
  std::string api_token;              // required by the API (Authorization: Bearer) when not empty
  std::optional<std::uint64_t> seed;  // none: random decisions
  double timeout_s = 10;              // backend connect and read
  double idle_timeout_s = 60;         // a client connection with nothing going on is closed
  unsigned threads = 0;               // event-loop threads; 0: one per core
  std::vector<ListenerConfig> listeners;
};

// Reads the mapping `node` (format in README, "chaos_proxy"), or a list: the
// JSON array toxiproxy-server -config takes ({name, listen, upstream,
// enabled?} each; TCP listeners, no API: the caller picks it). Errors are
// ConfigError with FILE:LINE:COL. With require_addresses=false, `listen` and
// `backend` may be absent (the caller fills them in).
ProxyConfig read_proxy_config(const YamlReader& yaml, const YAML::Node& node, bool require_addresses = true);

}  // namespace platespin::proxy
