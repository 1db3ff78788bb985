#include "proxy_listeners.hpp"

#include "mean_wait.hpp"
#include "proxy_config.hpp"

namespace platespin::bench {

std::vector<ListenerSpec> read_listeners(const YamlReader& yaml, const YAML::Node& proxy) {
  if (!proxy.IsMap()) yaml.fail(proxy, "'proxy' must be a mapping (listeners:, seed:, ...)");
  // The proxy's own reader judges every key but those flagbench fills in.
  for (const char* key : {"backend", "api"})
    if (proxy[key])
      yaml.fail(proxy[key], std::string("'") + key + "' is picked by flagbench (its own server and a free port); drop it");
  // `listen` may fix a listener's address (a client with hard-coded URLs); the backend is always ours.
  if (const YAML::Node listeners = proxy["listeners"]; listeners && listeners.IsSequence())
    for (const auto& node : listeners)
      if (node.IsMap() && node["backend"])
        yaml.fail(node["backend"], "'backend' is picked by flagbench (its own server); "
                                   "drop it, or use endpoints: for services you run yourself");
  const proxy::ProxyConfig config = proxy::read_proxy_config(yaml, proxy, /*require_addresses=*/false);
  std::vector<ListenerSpec> out;
  for (std::size_t i = 0; i < config.listeners.size(); ++i) {
    const auto& listener = config.listeners[i];
    if (listener.name == "LOCAL")
      yaml.fail(proxy["listeners"][i]["name"], "LOCAL names the server itself: pick another listener name");
    ListenerSpec spec{listener.name, proxy::mean_wait_s(listener), std::nullopt};
    if (proxy["listeners"][i]["listen"]) spec.listen = listener.listen;
    out.push_back(std::move(spec));
  }
  return out;
}

std::string proxy_config_yaml(const YAML::Node& proxy, const Endpoint& backend) {
  YAML::Node config = YAML::Clone(proxy);
  config["backend"] = backend.to_string();
  config["api"] = "127.0.0.1:0";
  for (auto listener : config["listeners"])
    if (!listener["listen"]) listener["listen"] = "127.0.0.1:0";
  YAML::Emitter out;
  out << config;
  return std::string(out.c_str()) + "\n";
}

}  // namespace platespin::bench
