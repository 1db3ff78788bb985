#pragma once
// What chaos_proxy knows about one listener while it runs: its live
// configuration (the control API changes it), its counters and gauges, and the
// per-target occurrence counts behind the seeded decision. Sessions on every
// worker thread share it: the counters and gauges are atomic, and what the
// API changes or reads whole (the behaviors, the per-request counts, the
// occurrence counts) is behind one mutex, held only for a map lookup.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>
#include <utility>

#include "fate.hpp"
#include "occurrence_counts.hpp"
#include "proxy_config.hpp"

namespace platespin::proxy {

// Orders (behavior, status) keys, and finds one from a string_view without making a string.
struct RequestKeyLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return std::pair<std::string_view, int>(a.first, a.second) < std::pair<std::string_view, int>(b.first, b.second);
  }
};
// (behavior, status sent to the client; 0 when none was) -> requests (TCP: connections)
using RequestCounts = std::map<std::pair<std::string, int>, std::uint64_t, RequestKeyLess>;
using ToxicKey = std::tuple<std::string, std::string, std::string>;
// Lookup by views, so counting a hit allocates only the first time.
struct ToxicKeyLess {
  using is_transparent = void;
  using Views = std::tuple<std::string_view, std::string_view, std::string_view>;
  static Views views(const ToxicKey& k) { return {std::get<0>(k), std::get<1>(k), std::get<2>(k)}; }
  static const Views& views(const Views& v) { return v; }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return views(a) < views(b);
  }
};
// (toxic name, type, stream) -> requests (TCP: connections) it was applied to
using ToxicCounts = std::map<ToxicKey, std::uint64_t, ToxicKeyLess>;

struct ListenerCounters {
  std::atomic<std::uint64_t> bytes_to_client = 0;
  std::atomic<std::uint64_t> bytes_to_backend = 0;
  std::atomic<std::uint64_t> backend_errors = 0;        // connect failures, resets, timeouts (502/504 sent)
  std::atomic<std::uint64_t> connections_accepted = 0;
  std::atomic<std::uint64_t> connections_rejected = 0;  // over max_connections

  // Atomics cannot be assigned a fresh struct: each is set to 0 in turn.
  void zero() {
    for (auto* counter : {&bytes_to_client, &bytes_to_backend, &backend_errors, &connections_accepted,
                          &connections_rejected})
      *counter = 0;
  }
};

struct ListenerGauges {
  std::atomic<std::int64_t> client_connections = 0;   // open now
  std::atomic<std::int64_t> backend_connections = 0;  // open now, in use or idle
  std::atomic<std::int64_t> backend_idle = 0;         // kept alive in the pool
  std::atomic<std::int64_t> waiting = 0;              // in a delay or a hang now
};

class ListenerState {
 public:
  ListenerState(ListenerConfig config, std::optional<std::uint64_t> seed);

  // Written only on the thread that runs the control API and the acceptors,
  // under the mutex (see set_config); that thread reads it freely.
  const ListenerConfig& config() const { return config_; }
  void set_config(ListenerConfig config);
  // The toxics it started with (its YAML or command line; what POST /proxies gave), which POST /reset restores.
  const Toxics& configured_toxics() const { return configured_toxics_; }
  std::atomic<bool> enabled = true;
  ListenerCounters counters;
  ListenerGauges gauges;
  // Opens or closes the listening socket (set by the server); throws std::system_error.
  std::function<void(bool accept)> set_accepting;

  // The fate of the next request for `method` `target`; of the next connection. Any thread.
  HttpFate next_http_fate(std::string_view method, std::string_view target);
  // `roll`, when given, gets the connection's roll, for tcp_fate_for() when the toxics change under it.
  TcpFate next_tcp_fate(std::uint64_t* roll = nullptr);
  // The fate a connection that rolled `roll` gets under the configuration as it is now (nothing counted).
  TcpFate tcp_fate_for(std::uint64_t roll) const;
  // Goes up with every set_config(): a live connection compares it to see a change. Any thread.
  std::uint64_t version() const { return version_.load(std::memory_order_acquire); }
  // Any thread.
  void count_request(std::string_view behavior, int status);
  RequestCounts request_counts() const;
  ToxicCounts toxic_counts() const;
  // Zeroes the counters and restarts the seeded sequence (a rerun then gets the same fates).
  void reset();

 private:
  mutable std::mutex mutex_;
  ListenerConfig config_;
  // The roll for the next request; counts the toxics that `decide` applied.
  template <typename Decide>
  auto next_fate(std::string_view method, std::string_view target, Decide decide, std::uint64_t* roll = nullptr,
                 bool always_roll = false);

  const Toxics configured_toxics_;
  std::atomic<std::uint64_t> version_ = 0;
  RequestCounts requests_;
  ToxicCounts toxics_applied_;
  std::optional<std::uint64_t> seed_;
  OccurrenceCounts seen_;  // seeded only
  std::mt19937_64 random_;
};

// RAII: one more in a gauge for as long as it lives.
class GaugeUp {
 public:
  explicit GaugeUp(std::atomic<std::int64_t>& gauge) : gauge_(gauge) { ++gauge_; }
  ~GaugeUp() { --gauge_; }
  GaugeUp(const GaugeUp&) = delete;
  GaugeUp& operator=(const GaugeUp&) = delete;

 private:
  std::atomic<std::int64_t>& gauge_;
};

// A client connection in its listener's client_connections gauge, from the
// accept (the next accept must see it, for max_connections) until its session
// ends. Movable, so that it goes with the session to its loop; it keeps the
// listener's state alive for as long as it counts in it.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(std::shared_ptr<ListenerState> state) : state_(std::move(state)) {
    ++state_->gauges.client_connections;
  }
  ConnectionSlot(ConnectionSlot&&) noexcept = default;  // the moved-from one counts nothing
  ConnectionSlot& operator=(ConnectionSlot&&) = delete;
  ~ConnectionSlot() {
    if (state_) --state_->gauges.client_connections;
  }

 private:
  std::shared_ptr<ListenerState> state_;
};

}  // namespace platespin::proxy
