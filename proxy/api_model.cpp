#include "api_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>
#include <type_traits>

#include "json_whole_number.hpp"
#include "toxic_config.hpp"

namespace platespin::proxy {

namespace {

// A JSON value of the field's own kind: nlohmann would turn -1 into 2^64-1
// for an unsigned field, and 2.5 into 2 for an integer one.
template <typename T>
bool is_kind_of(const nlohmann::json& value) {
  if constexpr (std::is_same_v<T, bool>) {
    return value.is_boolean();
  } else if constexpr (std::is_integral_v<T>) {
    return is_whole_number<T>(value);
  } else if constexpr (std::is_floating_point_v<T>) {
    return value.is_number();
  } else if constexpr (std::is_same_v<T, std::string>) {
    return value.is_string();
  } else {  // a list
    return value.is_array() &&
           std::all_of(value.begin(), value.end(), [](const auto& v) { return is_kind_of<typename T::value_type>(v); });
  }
}

template <typename T>
void take(const nlohmann::json& change, const char* key, T& into) {
  if (!change.contains(key)) return;
  const auto& value = change.at(key);
  if (!is_kind_of<T>(value))
    throw std::invalid_argument(std::string("field '") + key + "' has the wrong type or is out of range: " +
                                value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  into = value.get<T>();
}

// A Prometheus label value: backslash, double quote and newline escaped.
std::string label_value(std::string_view raw) {
  std::string out;
  for (const char c : raw) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

nlohmann::json describe(const ListenerState& l) {
  const auto& c = l.counters;
  const auto& config = l.config();
  nlohmann::json by_behavior = nlohmann::json::object(), by_status = nlohmann::json::object();
  std::uint64_t total = 0;
  for (const auto& [key, n] : l.request_counts()) {
    by_behavior[key.first] = by_behavior.value(key.first, std::uint64_t{0}) + n;
    const std::string status = std::to_string(key.second);
    by_status[status] = by_status.value(status, std::uint64_t{0}) + n;
    total += n;
  }
  nlohmann::json by_toxic = nlohmann::json::object();
  for (const auto& [key, n] : l.toxic_counts()) by_toxic[std::get<0>(key)] = n;
  nlohmann::json j = {{"name", config.name},
                      {"listen", config.listen.to_string()},
                      {"upstream", config.backend.to_string()},
                      {"protocol", to_string(config.protocol)},
                      {"enabled", l.enabled.load()},
                      {"behavior", to_string(config.behaviors)},
                      {"max_connections", config.max_connections},
                      {"counters",
                       {{"requests", total},
                        {"by_behavior", by_behavior},
                        {"by_toxic", by_toxic},
                        {"by_status", by_status},
                        {"bytes_to_client", c.bytes_to_client.load()},
                        {"bytes_to_backend", c.bytes_to_backend.load()},
                        {"backend_errors", c.backend_errors.load()},
                        {"connections_accepted", c.connections_accepted.load()},
                        {"connections_rejected", c.connections_rejected.load()},
                        {"client_connections_open", l.gauges.client_connections.load()},
                        {"backend_connections_open", l.gauges.backend_connections.load()},
                        {"backend_connections_idle", l.gauges.backend_idle.load()},
                        {"waiting", l.gauges.waiting.load()}}}};
  j.update(config.params.json());
  j["toxics"] = to_json(config.toxics);
  return j;
}

nlohmann::json describe(const Listeners& listeners) {
  nlohmann::json all = nlohmann::json::object();
  for (const auto& l : listeners) all[l->config().name] = describe(*l);
  return all;
}

bool is_behavior_parameter(std::string_view key) {
  const auto params = behavior_parameters();
  return std::any_of(params.begin(), params.end(), [&](const Parameter& p) { return p.key == key; });
}

bool is_update_field(std::string_view key) {
  return key == "behavior" || key == "max_connections" || key == "enabled" || key == "toxics" ||
         is_behavior_parameter(key);
}

void update(ListenerState& listener, const nlohmann::json& change) {
  if (!change.is_object()) throw std::invalid_argument("the body must be a JSON object");
  nlohmann::json given_params = listener.config().params.json();
  for (const auto& [key, value] : change.items()) {
    if (!is_update_field(key)) throw std::invalid_argument("unknown field '" + key + "'");
    if (is_behavior_parameter(key)) given_params[key] = value;
  }
  ListenerConfig next = listener.config();
  std::string behavior = to_string(next.behaviors);
  take(change, "behavior", behavior);
  next.behaviors = parse_behavior_mix(behavior, next.protocol);
  next.params = behavior_values(given_params);
  take(change, "max_connections", next.max_connections);
  if (change.contains("toxics")) {
    const auto& list = change.at("toxics");
    if (!list.is_array()) throw std::invalid_argument("field 'toxics' must be a list of toxics");
    next.toxics.clear();
    for (const auto& toxic : list) next.toxics.push_back(toxic_from_json(toxic, next.protocol));
    check_toxic_names(next.toxics);
  }
  bool enabled = listener.enabled;
  take(change, "enabled", enabled);
  if (enabled != listener.enabled) {
    if (listener.set_accepting) listener.set_accepting(enabled);
    listener.enabled = enabled;
  }
  listener.set_config(std::move(next));
}

std::string prometheus_metrics(const Listeners& listeners) {
  std::string out;
  const auto family = [&](const char* name, const char* type, const char* help) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  };
  // One sample a listener; `labels` goes after the listener's, e.g. ",direction=\"to_client\"".
  const auto each = [&](const char* name, auto value_of, std::string_view labels = "") {
    for (const auto& l : listeners)
      out += fmt::format("{}{{listener=\"{}\"{}}} {}\n", name, label_value(l->config().name), labels, value_of(*l));
  };
  family("chaos_proxy_requests_total", "counter",
         "HTTP requests (TCP: connections) by listener, behavior and the status sent (0: none was sent).");
  for (const auto& l : listeners)
    for (const auto& [key, n] : l->request_counts())
      out += fmt::format("chaos_proxy_requests_total{{listener=\"{}\",behavior=\"{}\",status=\"{}\"}} {}\n",
                         label_value(l->config().name), key.first, key.second, n);
  family("chaos_proxy_toxic_applied_total", "counter",
         "HTTP requests (TCP: connections) a toxic was applied to, by listener, toxic, type and stream.");
  for (const auto& l : listeners)
    for (const auto& [key, n] : l->toxic_counts())
      out += fmt::format("chaos_proxy_toxic_applied_total{{listener=\"{}\",toxic=\"{}\",type=\"{}\",stream=\"{}\"}} {}\n",
                         label_value(l->config().name), label_value(std::get<0>(key)), std::get<1>(key),
                         std::get<2>(key), n);
  family("chaos_proxy_bytes_total", "counter", "Bytes written, by listener and direction.");
  each("chaos_proxy_bytes_total", [](const ListenerState& l) { return l.counters.bytes_to_client.load(); },
       ",direction=\"to_client\"");
  each("chaos_proxy_bytes_total", [](const ListenerState& l) { return l.counters.bytes_to_backend.load(); },
       ",direction=\"to_backend\"");
  family("chaos_proxy_backend_errors_total", "counter", "Backend connect failures, resets and timeouts.");
  each("chaos_proxy_backend_errors_total", [](const ListenerState& l) { return l.counters.backend_errors.load(); });
  family("chaos_proxy_connections_accepted_total", "counter", "Client connections accepted.");
  each("chaos_proxy_connections_accepted_total",
       [](const ListenerState& l) { return l.counters.connections_accepted.load(); });
  family("chaos_proxy_connections_rejected_total", "counter", "Client connections closed at once: over max_connections.");
  each("chaos_proxy_connections_rejected_total",
       [](const ListenerState& l) { return l.counters.connections_rejected.load(); });
  family("chaos_proxy_client_connections", "gauge", "Client connections open.");
  each("chaos_proxy_client_connections", [](const ListenerState& l) { return l.gauges.client_connections.load(); });
  family("chaos_proxy_backend_connections", "gauge", "Backend connections open (in use or idle in the pool).");
  each("chaos_proxy_backend_connections", [](const ListenerState& l) { return l.gauges.backend_connections.load(); });
  family("chaos_proxy_waiting", "gauge", "Requests in a delay or a hang.");
  each("chaos_proxy_waiting", [](const ListenerState& l) { return l.gauges.waiting.load(); });
  family("chaos_proxy_listener_enabled", "gauge", "1 when the listener accepts connections.");
  each("chaos_proxy_listener_enabled", [](const ListenerState& l) { return l.enabled ? 1 : 0; });
  return out;
}

}  // namespace platespin::proxy
