#pragma once
// A bounded pool of keep-alive connections to one backend: at most `max_open`
// connections (in use or idle); a request that finds them all in use waits for
// one to come back. At most kMaxConnecting connects are under way at once, so a
// burst of requests (1,000 delays ending together) mostly reuses the
// connections that the first of them give back instead of opening one each:
// the backend answers sooner than it accepts.
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <memory>
#include <vector>

#include "endpoint.hpp"
#include "http_stream.hpp"
#include "listener_state.hpp"

namespace platespin::proxy {

struct BackendConnection {
  // Room for a flag response, header and body, in one read (Beast starts at 512 bytes).
  static constexpr std::size_t kReadSize = 4096;
  explicit BackendConnection(const LoopExecutor& ex) : stream(ex) { buffer.reserve(kReadSize); }
  HttpStream stream;
  boost::beast::flat_buffer buffer;
  bool reused = false;  // came from the idle list: the backend may have closed it meanwhile
};

class BackendPool {
 public:
  BackendPool(const LoopExecutor& ex, Endpoint upstream,
              std::chrono::steady_clock::duration timeout, std::size_t max_open, ListenerGauges& gauges);
  ~BackendPool();

  // An idle connection (unless `fresh`), or a new one. Throws boost::system::system_error when the connect fails.
  Task<std::unique_ptr<BackendConnection>> acquire(bool fresh = false);
  // Gives a connection back: kept idle when `reusable`, else closed.
  void release(std::unique_ptr<BackendConnection> connection, bool reusable);

 private:
  void close(std::unique_ptr<BackendConnection> connection);

  Endpoint upstream_;  // resolved at each connect
  std::chrono::steady_clock::duration timeout_;
  std::size_t max_open_;
  ListenerGauges& gauges_;
  std::vector<std::unique_ptr<BackendConnection>> idle_;
  static constexpr std::size_t kMaxConnecting = 4;
  std::size_t open_ = 0;
  std::size_t connecting_ = 0;
  Timer slot_freed_;  // never expires; cancel_one() wakes one waiter
};

}  // namespace platespin::proxy
