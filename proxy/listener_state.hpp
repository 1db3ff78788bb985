#pragma once
// What chaos_proxy knows about one listener while it runs: its live
// configuration (the control API changes it), its counters and gauges, and the
// per-target occurrence counts behind the seeded decision. The proxy runs on
// one thread, so nothing here is locked.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>

#include "behaviors/behavior.hpp"
#include "proxy_config.hpp"

namespace platespin::proxy {

struct ListenerCounters {
  // (behavior, status sent to the client; 0 when none was) -> requests (TCP: connections)
  std::map<std::pair<std::string, int>, std::uint64_t> requests;
  std::uint64_t bytes_to_client = 0;
  std::uint64_t bytes_to_backend = 0;
  std::uint64_t backend_errors = 0;         // connect failures, resets, timeouts (502/504 sent)
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_rejected = 0;   // over max_connections
};

struct ListenerGauges {
  std::int64_t client_connections = 0;   // open now
  std::int64_t backend_connections = 0;  // open now, in use or idle
  std::int64_t backend_idle = 0;         // kept alive in the pool
  std::int64_t waiting = 0;              // in a delay or a hang now
};

class ListenerState {
 public:
  ListenerState(ListenerConfig config, std::optional<std::uint64_t> seed);

  ListenerConfig config;
  bool enabled = true;
  ListenerCounters counters;
  ListenerGauges gauges;
  // Opens or closes the listening socket (set by the server); throws std::system_error.
  std::function<void(bool accept)> set_accepting;

  // The fate of the next request for `method` `target` (TCP: one connection).
  Fate next_fate(std::string_view method, std::string_view target);
  void count_request(std::string_view behavior, int status);
  // Zeroes the counters and restarts the seeded sequence (a rerun then gets the same fates).
  void reset();

 private:
  std::optional<std::uint64_t> seed_;
  std::map<std::string, std::uint64_t, std::less<>> seen_;  // "METHOD target" -> times seen (seeded only)
  std::mt19937_64 random_;
};

// RAII: one more in a gauge for as long as it lives.
class GaugeUp {
 public:
  explicit GaugeUp(std::int64_t& gauge) : gauge_(gauge) { ++gauge_; }
  ~GaugeUp() { --gauge_; }
  GaugeUp(const GaugeUp&) = delete;
  GaugeUp& operator=(const GaugeUp&) = delete;

 private:
  std::int64_t& gauge_;
};

}  // namespace platespin::proxy
