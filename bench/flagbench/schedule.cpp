#include "schedule.hpp"

#include <fmt/ranges.h>
#include <ranges>

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>

#include "api_model.hpp"
#include "listener_state.hpp"
#include "parse_number.hpp"
#include "proxy_config.hpp"
#include "scenario.hpp"

namespace platespin::bench {

namespace {

// The listeners a step may name, each as a scratch state the steps are tried on in order.
std::map<std::string, std::unique_ptr<proxy::ListenerState>> scratch_listeners(const YamlReader& yaml,
                                                                               const Scenario& s) {
  std::map<std::string, std::unique_ptr<proxy::ListenerState>> out;
  if (s.external()) return out;  // made per name as the steps name them
  if (!s.proxy.IsMap() && !s.proxy.IsSequence()) return out;
  proxy::ProxyConfig proxy = proxy::read_proxy_config(yaml, s.proxy, /*require_addresses=*/false);
  for (auto& config : proxy.listeners) {
    const std::string name = config.name;
    out.emplace(name, std::make_unique<proxy::ListenerState>(std::move(config), std::nullopt));
  }
  return out;
}

std::string known_names(const std::map<std::string, std::unique_ptr<proxy::ListenerState>>& listeners) {
  if (listeners.empty()) return "none: the scenario has no proxy listeners";
  return fmt::format("{}", fmt::join(std::views::keys(listeners), ", "));
}

}  // namespace

nlohmann::json json_of(const YAML::Node& node) {
  if (node.IsSequence()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : node) out.push_back(json_of(item));
    return out;
  }
  if (node.IsMap()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& entry : node) out[entry.first.as<std::string>()] = json_of(entry.second);
    return out;
  }
  if (!node.IsScalar()) return nullptr;
  const std::string text = node.Scalar();
  if (node.Tag() == "!") return text;  // quoted: "5" is text
  if (const auto whole = parse_number<std::int64_t>(text)) return *whole;
  if (const auto big = parse_number<std::uint64_t>(text)) return *big;
  if (const auto number = parse_number<double>(text)) return *number;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (text == "null" || text == "~" || text.empty()) return nullptr;
  return text;
}

Schedule read_schedule(const YamlReader& yaml, const YAML::Node& node, const Scenario& s) {
  if (!node.IsSequence() || node.size() == 0)
    yaml.fail(node, "'schedule' must be a non-empty list of steps {at: SECONDS, listener: NAME, set: {...}}");
  if (s.external() && !s.proxy_api)
    yaml.fail(node, "a schedule in external mode needs 'proxy_api' (the chaos_proxy control API it changes)");
  auto listeners = scratch_listeners(yaml, s);
  Schedule out;
  for (const auto& step_node : node) {
    yaml.check_keys(step_node, {"at", "listener", "set"}, "a schedule step");
    ScheduleStep step;
    step.at_s = yaml.get<double>(step_node, "at", "a number of seconds after the client's start");
    if (step.at_s < 0) yaml.fail(step_node["at"], "'at' must be 0 or more seconds after the client's start");
    if (!out.empty() && step.at_s < out.back().at_s)
      yaml.fail(step_node["at"], fmt::format("steps must be in time order: this one is at {} s, after one at {} s",
                                             step.at_s, out.back().at_s));
    step.listener = yaml.get<std::string>(step_node, "listener", "a proxy listener's name");
    auto found = listeners.find(step.listener);
    if (found == listeners.end() && s.external()) {
      try {
        proxy::validate_listener_name(step.listener);
      } catch (const std::invalid_argument& e) {
        yaml.fail(step_node["listener"], e.what());
      }
      proxy::ListenerConfig config;
      config.name = step.listener;
      found = listeners.emplace(step.listener, std::make_unique<proxy::ListenerState>(config, std::nullopt)).first;
    }
    if (found == listeners.end())
      yaml.fail(step_node["listener"],
                "unknown listener '" + step.listener + "' (known: " + known_names(listeners) + ")");
    const YAML::Node set = step_node["set"];
    if (!set) yaml.fail(step_node, "missing key 'set' (what the control API's PUT /proxies/NAME takes)");
    if (!set.IsMap() || set.size() == 0)
      yaml.fail(set, "'set' must be a non-empty mapping of what the control API's PUT /proxies/NAME takes");
    step.set = nlohmann::json::object();
    // One field at a time, so that a refusal points at its own value.
    for (const auto& entry : set) {
      const auto key = entry.first.as<std::string>();
      if (step.set.contains(key)) yaml.fail(entry.first, "duplicate key '" + key + "' in 'set'");
      const nlohmann::json value = json_of(entry.second);
      try {
        proxy::update(*found->second, {{key, value}});
      } catch (const std::invalid_argument& e) {
        yaml.fail(proxy::is_update_field(key) ? entry.second : entry.first,
                  "the control API would refuse this step: " + std::string(e.what()) +
                      (proxy::is_update_field(key) ? "" : " (it takes behavior, enabled, toxics, max_connections "
                                                          "and the behavior parameters such as delay)"));
      }
      step.set[key] = value;
    }
    out.push_back(std::move(step));
  }
  return out;
}

}  // namespace platespin::bench
