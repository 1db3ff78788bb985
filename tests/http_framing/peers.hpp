#pragma once
// The raw peers of the framing matrix, on plain POSIX sockets: a client that
// sends bytes as they are, and a backend that records every byte a proxy sends
// it and answers what it can parse (with the strict parser of wire.hpp).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "wire.hpp"

namespace platespin::framing {

using Millis = std::chrono::milliseconds;

// One TCP connection to 127.0.0.1:port.
class Client {
 public:
  explicit Client(std::uint16_t port);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends all of `bytes`; a peer that closed early (it may refuse a body) is not an error here.
  void send(std::string_view bytes);
  void shutdown_write();  // no more requests: a server then ends the connection when it is done
  void close();           // the client leaves

  enum class End { done, closed, timeout };
  // Reads until `done(received())` holds, the peer closes, or `timeout` passes.
  End read_until(const std::function<bool(const std::string&)>& done, Millis timeout);
  End read_to_close(Millis timeout) {
    return read_until([](const std::string&) { return false; }, timeout);
  }

  const std::string& received() const { return received_; }
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  std::string received_;
  bool closed_ = false;
};

// What a RawBackend saw, in order.
struct BackendEvent {
  enum class Kind { opened, bytes, message, error, closed } kind;
  int connection = 0;
  std::string bytes;  // bytes: as they arrived; closed: a partial message left unparsed
  Message message;    // message
  std::string error;  // error: why the bytes are not HTTP
};

// What the backend writes for a request: bytes, then maybe a close.
struct Answer {
  std::string bytes;
  bool close = false;
};

// A backend on 127.0.0.1:0 run by one thread (poll over its sockets). It parses
// each connection's bytes strictly as a stream of requests, records everything,
// and writes `respond(request)` for each request; on bytes that are not a
// request it records the error, answers 400 and closes.
class RawBackend {
 public:
  explicit RawBackend(std::function<Answer(const Message&)> respond);
  ~RawBackend();
  RawBackend(const RawBackend&) = delete;
  RawBackend& operator=(const RawBackend&) = delete;

  std::uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  std::size_t mark() const;  // events so far
  std::vector<BackendEvent> since(std::size_t mark) const;
  // Waits until no open connection holds part of a message, or `timeout`:
  // false when one still does (a proxy kept a connection it left mid-message).
  bool wait_clean(Millis timeout) const;
  std::string dirty_connections() const;  // for failure messages

 private:
  struct Connection {
    int fd;
    int id;
    std::string buffer;  // bytes not yet parsed as a whole request
  };
  void run();
  void on_readable(Connection& c, bool& close);
  void record(BackendEvent event);

  std::function<Answer(const Message&)> respond_;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<BackendEvent> events_;
  std::map<int, std::size_t> partial_;  // connection id -> bytes held, for open connections with a partial message
  std::thread thread_;
};

}  // namespace platespin::framing
