// The control API's model (proxy/api_model.hpp) on any JSON body of PUT
// /proxies/NAME: update() applies it whole or throws std::invalid_argument and
// leaves the listener as it was; then what GET /proxies, GET /metrics and the
// next requests' fates make of the listener must hold up.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "api_model.hpp"
#include "fuzz_check.hpp"

using namespace platespin::proxy;

namespace {

ListenerConfig error_listener() {
  ListenerConfig config;
  config.name = "ERROR";
  config.listen = {"127.0.0.1", 8003};
  config.backend = {"127.0.0.1", 8001};
  config.behaviors = parse_behavior_mix("25:error,50:delay", Protocol::http);
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto change = nlohmann::json::parse(data, data + size, nullptr, false);
  if (change.is_discarded()) return 0;
  Listeners listeners;
  listeners.push_back(std::make_unique<ListenerState>(error_listener(), 42));
  ListenerState& listener = *listeners.front();
  listener.count_request("error", 503);

  const nlohmann::json before = describe(listener);
  try {
    update(listener, change);
  } catch (const std::invalid_argument&) {
    PLATESPIN_FUZZ_CHECK(describe(listener) == before);  // all or nothing
  }

  for (int i = 0; i < 4; ++i) {
    const HttpFate fate = listener.next_http_fate("GET", "/flags/ad/ad.gif");
    PLATESPIN_FUZZ_CHECK(fate.wait_before.count() >= 0 && fate.wait_after.count() >= 0);
    listener.count_request(fate.behavior, 200);
  }
  PLATESPIN_FUZZ_CHECK(!describe(listeners).dump().empty());
  PLATESPIN_FUZZ_CHECK(!prometheus_metrics(listeners).empty());
  return 0;
}
