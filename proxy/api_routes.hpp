#pragma once
// The control API's routes, apart from HTTP: Toxiproxy's (api.go is the
// specification: /proxies, /proxies/NAME, /proxies/NAME/toxics[/TOXIC],
// /reset, /version, its error bodies and status codes) and ours (/metrics,
// /healthz, PUT /proxies/NAME), over one set of listeners. No sockets and no
// Beast: control_api.cpp reads a request, calls route(), writes the answer.
#include <string>
#include <string_view>

#include <vector>

#include "address_range.hpp"
#include "api_model.hpp"

namespace platespin::proxy {

struct ApiRequest {
  std::string_view method;  // "GET", "POST", ...
  std::string_view target;  // "/proxies/redis/toxics?x=y"
  std::string_view body;
  std::string_view user_agent;
  std::string_view authorization;  // the Authorization field, as sent
};

struct ApiResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
};

struct ApiSettings {
  std::string token;  // required as "Bearer TOKEN" on every route but /healthz when not empty
  std::vector<AddressRange> allow_listen;  // where the API may open listeners; empty: anywhere
};

ApiResponse route(ListenerRegistry& registry, const ApiRequest& request, const ApiSettings& settings = {});

}  // namespace platespin::proxy
