#pragma once
// What the control API says and accepts, apart from HTTP: listeners as JSON
// (GET /proxies), live changes (PUT /proxies/NAME) and the Prometheus text of
// GET /metrics. No Beast here.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "listener_registry.hpp"

namespace platespin::proxy {


nlohmann::json describe(const ListenerState& listener);
nlohmann::json describe(const Listeners& listeners);

// The fields update() takes: ours, and each behavior parameter.
bool is_update_field(std::string_view key);
bool is_behavior_parameter(std::string_view key);

// Applies {"behavior": "25:error", "delay": 0.5, ..., "enabled": false} to a
// listener, all or nothing. Throws std::invalid_argument naming the bad field.
void update(ListenerState& listener, const nlohmann::json& change);

// Prometheus text exposition format 0.0.4.
std::string prometheus_metrics(const Listeners& listeners);

}  // namespace platespin::proxy
