// The control API's routes (proxy/api_routes.hpp), Toxiproxy's and ours, on a
// sequence of requests ("METHOD TARGET\nBODY", separated by NUL bytes) against
// listeners without sockets: no request may throw, every status is one the
// API documents, every JSON answer parses, and after each request the
// listeners hold up (unique toxic names, a description, metrics, fates).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

#include "api_routes.hpp"
#include "fuzz_check.hpp"

using namespace platespin::proxy;

namespace {

ListenerList two_listeners() {
  ListenerList registry;
  ListenerConfig http;
  http.name = "web";
  http.backend = {"127.0.0.1", 8001};
  http.behaviors = parse_behavior_mix("25:error,50:delay", Protocol::http);
  registry.add(http, true);
  ListenerConfig tcp;
  tcp.name = "redis";
  tcp.protocol = Protocol::tcp;
  tcp.backend = {"127.0.0.1", 6379};
  registry.add(tcp, true);
  return registry;
}

void check_one(ListenerList& registry, std::string_view request) {
  const auto space = request.find(' ');
  const auto newline = request.find('\n');
  if (space == std::string_view::npos || newline == std::string_view::npos || newline < space) return;
  const ApiRequest req{request.substr(0, space), request.substr(space + 1, newline - space - 1),
                       request.substr(newline + 1), "fuzz", ""};
  const ApiResponse res = route(registry, req);
  static const std::set<int> documented{200, 201, 204, 400, 401, 403, 404, 405, 409, 500};
  PLATESPIN_FUZZ_CHECK(documented.count(res.status) == 1);
  if (res.content_type == "application/json" && !res.body.empty())
    PLATESPIN_FUZZ_CHECK(!nlohmann::json::parse(res.body, nullptr, false).is_discarded());
  for (const auto& l : registry.listeners()) {
    std::set<std::string> names;
    for (const auto& t : l->config().toxics) PLATESPIN_FUZZ_CHECK(names.insert(t.name).second);
    PLATESPIN_FUZZ_CHECK(describe(*l).contains("toxics"));
    if (l->config().protocol == Protocol::http) {
      l->count_request(l->next_http_fate("GET", "/").behavior, 200);
    } else {
      l->count_request(l->next_tcp_fate().behavior, 0);
    }
  }
  PLATESPIN_FUZZ_CHECK(!prometheus_metrics(registry.listeners()).empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ListenerList registry = two_listeners();
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  for (int i = 0; i < 16 && !rest.empty(); ++i) {
    const auto end = rest.find('\0');
    check_one(registry, rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  }
  return 0;
}
