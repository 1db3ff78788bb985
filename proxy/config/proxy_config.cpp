#include "proxy_config.hpp"

#include <set>
#include <stdexcept>

namespace platespin::proxy {

namespace {

Endpoint endpoint_at(const YamlReader& yaml, const YAML::Node& map, const std::string& key) {
  const auto text = yaml.get<std::string>(map, key, "an address HOST:PORT");
  try {
    return parse_endpoint(text);
  } catch (const std::invalid_argument& e) {
    yaml.fail(map[key], std::string("'") + key + "': " + e.what());
  }
}

// The behaviors' parameters, each where the behavior declares it, at the listener's level (Vaurien's flat keys).
Values read_params(const YamlReader& yaml, const YAML::Node& map) {
  nlohmann::json given = nlohmann::json::object();
  for (const auto& p : behavior_parameters()) {
    const YAML::Node node = map[std::string(p.key)];
    if (!node) continue;
    try {
      given[std::string(p.key)] = from_yaml(p, node);
    } catch (const std::invalid_argument& e) {
      yaml.fail(node, "'" + std::string(p.key) + "' " + e.what());
    }
  }
  return behavior_values(given);
}

// A listener's keys: its own and every behavior parameter's.
const std::vector<std::string_view>& listener_keys() {
  static const std::vector<std::string_view> keys = [] {
    std::vector<std::string_view> out{"name", "listen", "backend", "protocol", "behavior", "toxics", "max_connections"};
    for (const auto& p : behavior_parameters()) out.push_back(p.key);
    return out;
  }();
  return keys;
}

ListenerConfig read_listener(const YamlReader& yaml, const YAML::Node& map, const std::optional<Endpoint>& backend,
                             bool require_addresses) {
  yaml.check_keys(map, listener_keys(), "a listener");
  ListenerConfig l;
  l.name = yaml.get<std::string>(map, "name", "a name like DELAY");
  try {
    validate_listener_name(l.name);
  } catch (const std::invalid_argument& e) {
    yaml.fail(map["name"], e.what());
  }
  if (map["listen"] || require_addresses)
    l.listen = endpoint_at(yaml, map, "listen");
  else
    l.listen = Endpoint{"127.0.0.1", 0};
  if (map["backend"])
    l.backend = endpoint_at(yaml, map, "backend");
  else if (backend)
    l.backend = *backend;
  else if (require_addresses)
    yaml.fail(map, "listener '" + l.name + "' has no 'backend' and there is no top-level 'backend'");
  try {
    if (map["protocol"]) l.protocol = protocol_from_string(yaml.get<std::string>(map, "protocol", "http or tcp"));
  } catch (const std::invalid_argument& e) {
    yaml.fail(map["protocol"], e.what());
  }
  try {
    l.behaviors = parse_behavior_mix(yaml.get_or<std::string>(map, "behavior", "", "a string like \"25:error,50:delay\""),
                                     l.protocol);
  } catch (const std::invalid_argument& e) {
    yaml.fail(map["behavior"], e.what());
  }
  l.params = read_params(yaml, map);
  if (map["toxics"]) l.toxics = read_toxics(yaml, map["toxics"], l.protocol);
  l.max_connections = yaml.get_or<std::uint64_t>(map, "max_connections", 0, "a number of connections (0: no limit)");
  return l;
}

}  // namespace

// toxiproxy-server's -config file: a JSON array of proxies (JSON is YAML).
ProxyConfig read_toxiproxy_config(const YamlReader& yaml, const YAML::Node& list) {
  ProxyConfig config;
  std::set<std::string> names;
  for (const auto& entry : list) {
    yaml.check_keys(entry, {"name", "listen", "upstream", "enabled", "toxics"}, "a Toxiproxy proxy");
    ListenerConfig l;
    l.protocol = Protocol::tcp;
    l.name = yaml.get<std::string>(entry, "name", "a name like redis");
    try {
      validate_listener_name(l.name);
    } catch (const std::invalid_argument& e) {
      yaml.fail(entry["name"], e.what());
    }
    l.listen = endpoint_at(yaml, entry, "listen");
    l.backend = endpoint_at(yaml, entry, "upstream");
    l.enabled = yaml.get_or(entry, "enabled", true, "true or false");
    if (entry["toxics"]) l.toxics = read_toxics(yaml, entry["toxics"], l.protocol);
    if (!names.insert(l.name).second) yaml.fail(entry["name"], "duplicate proxy name '" + l.name + "'");
    config.listeners.push_back(std::move(l));
  }
  return config;
}

ProxyConfig read_proxy_config(const YamlReader& yaml, const YAML::Node& node, bool require_addresses) {
  if (node.IsSequence()) return read_toxiproxy_config(yaml, node);
  yaml.check_keys(node, {"backend", "api", "api_token", "seed", "timeout", "idle_timeout", "threads", "listeners"}, "the proxy configuration");
  ProxyConfig config;
  std::optional<Endpoint> backend;
  if (node["backend"]) backend = endpoint_at(yaml, node, "backend");
  if (node["api"]) config.api = endpoint_at(yaml, node, "api");
  config.api_token = yaml.get_or<std::string>(node, "api_token", "", "a token (text)");
  if (node["seed"]) config.seed = yaml.get<std::uint64_t>(node, "seed", "a whole number");
  config.timeout_s = yaml.get_or(node, "timeout", config.timeout_s, "a number of seconds");
  if (!(config.timeout_s > 0 && config.timeout_s <= 3600)) yaml.fail(node["timeout"], "'timeout' must be 0 to 3600 seconds");
  config.idle_timeout_s = yaml.get_or(node, "idle_timeout", config.idle_timeout_s, "a number of seconds");
  if (!(config.idle_timeout_s > 0 && config.idle_timeout_s <= 86400))
    yaml.fail(node["idle_timeout"], "'idle_timeout' must be 0 to 86400 seconds");
  config.threads = yaml.get_or(node, "threads", config.threads, "a whole number");
  if (config.threads > 256) yaml.fail(node["threads"], "'threads' must be 0 (one per core) to 256");
  const YAML::Node listeners = node["listeners"];
  if (!listeners || !listeners.IsSequence() || listeners.size() == 0)
    yaml.fail(listeners ? listeners : node, "'listeners' must be a list of at least one listener");
  std::set<std::string> names;
  for (const auto& entry : listeners) {
    ListenerConfig l = read_listener(yaml, entry, backend, require_addresses);
    if (!names.insert(l.name).second) yaml.fail(entry["name"], "duplicate listener name '" + l.name + "'");
    config.listeners.push_back(std::move(l));
  }
  return config;
}

}  // namespace platespin::proxy
