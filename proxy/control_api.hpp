#pragma once
// The control API (Toxiproxy's, in spirit): GET /proxies, GET|PUT /proxies/NAME,
// POST /reset, GET /metrics (Prometheus), GET /healthz.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "api_routes.hpp"

namespace platespin::proxy {

boost::asio::awaitable<void> serve_api(boost::asio::ip::tcp::socket client, ListenerRegistry& registry,
                                      const ApiSettings& settings);

}  // namespace platespin::proxy
