#pragma once
// The control API (Toxiproxy's, in spirit): GET /proxies, GET|PUT /proxies/NAME,
// POST /reset, GET /metrics (Prometheus), GET /healthz.

#include "api_routes.hpp"
#include "loop_executor.hpp"

namespace platespin::proxy {

Task<void> serve_api(Socket client, ListenerRegistry& registry, const ApiSettings& settings);

}  // namespace platespin::proxy
