#pragma once
// The bytes of one proxied TCP connection, both ways, as its TcpFate says:
// per direction (upstream: client to server, downstream: server to client)
// latency and jitter per chunk (pipelined, order kept), pacing (throttle,
// slices, a byte limit that closes the connection), dropping (timeout),
// a reset after the first data (reset_peer) and a late close (slow_close).
//
// Memory: a direction holds a buffer only while it holds data. Reads go into
// one scratch buffer per thread; only what must wait (a latency queue, a
// write the peer is not ready for) is copied out, sized to what came.
// An unshaped direction is a plain copy loop: no timer, no queue.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

#include "fate.hpp"
#include "loop_executor.hpp"

namespace platespin::proxy {

// Asked before each chunk: the connection's fate anew when its listener's
// toxics changed since the last ask (nullopt: unchanged), so changes act on
// live connections from their next chunk.
using FateUpdates = std::function<std::optional<TcpFate>()>;

struct RelayCounters {
  std::atomic<std::uint64_t>& bytes_to_backend;
  std::atomic<std::uint64_t>& bytes_to_client;
};

// Carries bytes between `client` and `server` until both directions have
// ended (each end passed on as a half-close), a toxic closed or reset the
// connection, or no byte moved either way for `idle`. Both sockets are closed
// when it returns. `fate.cut` must be none.
Task<void> relay(Socket client, Socket server,
                 const TcpFate& fate, FateUpdates updates,
                 std::chrono::steady_clock::duration idle, RelayCounters counters);

}  // namespace platespin::proxy
