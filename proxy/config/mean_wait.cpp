#include "mean_wait.hpp"

namespace platespin::proxy {

namespace {

// The random draw a fault turns into the middle of its jitter (unit_interval() = 0.5).
constexpr std::uint64_t kMiddle = std::uint64_t{1} << 63;

double wait_s(const Fault& fault, const Values& values, Stream stream, Protocol protocol) {
  if (protocol == Protocol::http) {
    HttpFate fate;
    fault.shape_http(fate, values, stream, kMiddle);
    return std::chrono::duration<double>(fate.wait_before + fate.wait_after).count();
  }
  TcpFate fate;  // a request goes up and its answer comes down: both directions' latency
  fault.shape_tcp(fate, values, stream, kMiddle);
  return std::chrono::duration<double>(fate.upstream.latency + fate.downstream.latency).count();
}

}  // namespace

double mean_wait_s(const ListenerConfig& listener) {
  double seconds = 0;
  for (const auto& share : listener.behaviors)
    if (share.behavior)
      seconds += share.percent / 100.0 * wait_s(*share.behavior, listener.params, Stream::downstream, listener.protocol);
  for (const auto& toxic : listener.toxics)
    seconds += toxic.toxicity * wait_s(*toxic.type, toxic.attributes, toxic.stream, listener.protocol);
  return seconds;
}

}  // namespace platespin::proxy
