#pragma once
// The HTTP/1.1 client connection the three downloaders share: one TCP
// connection, GET requests one after another on it (keep-alive), each bounded
// by a timeout, every failure turned into an error kind instead of an
// exception. Beast stays inside http_client.cpp: it is slow to compile.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server_url.hpp"

namespace platespin {

// The server's addresses, looked up once before a run so that no request
// pays for a name lookup.
using ServerAddresses = std::vector<boost::asio::ip::tcp::endpoint>;

// Throws std::runtime_error("cannot resolve HOST: ...") when the host is unknown.
ServerAddresses resolve(const ServerUrl& server);

struct HttpOptions {
  std::chrono::milliseconds timeout{10'000};  // connect + request + whole response
  bool keep_alive = true;                      // false: one connection per request
  std::size_t body_limit = 64 * 1024 * 1024;
};

// One GET as the client saw it.
struct Exchange {
  int status = 0;          // 0 when no whole response came
  std::string reason;      // the status line's reason phrase ("Service Unavailable"), as the server sent it
  std::string body{};
  std::string error_kind;  // empty when a whole response came; else timeout, refused, reset, truncated, protocol
                           // (download_one adds content and save)
  std::string detail;      // the reason in words, for -v
  double latency_ms = 0;   // from the start of the request (connect included) to the end of the body
};

// How many interim (1xx) responses may come before the final one: a real
// server sends one or two (100 Continue, 103 Early Hints); more than this is a
// peer flooding us, and the request fails with kind `protocol`.
inline constexpr int kMaxInterimResponses = 8;

// The response handling of get() without a socket: reads the final response
// from `bytes` as get() reads it from the connection (interim responses
// skipped, 101 and a flood of 1xx refused, limits applied), then the peer is
// taken to have closed. Same code path as get(); for fuzz targets and tests.
Exchange read_response_bytes(std::string_view bytes, std::size_t body_limit = HttpOptions{}.body_limit);

// A connection used from coroutines on one executor (one request at a time).
class HttpConnection {
 public:
  HttpConnection(boost::asio::any_io_executor executor, ServerUrl server, ServerAddresses addresses,
                 HttpOptions options);
  ~HttpConnection();
  HttpConnection(HttpConnection&&) noexcept;
  HttpConnection& operator=(HttpConnection&&) noexcept;

  // GETs `target` into `out`; never throws for network or protocol failures.
  // A kept-alive connection the server closed while idle is reopened once,
  // transparently, as browsers and the book's HTTP libraries do. `out` must
  // outlive the awaitable: filled in place, the Exchange is not copied through
  // the frames of a request in flight.
  boost::asio::awaitable<void> get(std::string target, Exchange& out);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;  // shared with the timeout's pending handler (weakly)
};

// One request on a fresh connection, blocking: what flagbench's health checks
// and control calls and the integration tests send. Same resolution and
// Beast parsing as HttpConnection; never throws.
struct HttpCall {
  std::string method = "GET";
  std::string target = "/";
  std::map<std::string, std::string> headers{};
  std::string body{};
  std::chrono::milliseconds timeout{10'000};  // connect + request + whole response
};

struct HttpReply {
  int status = 0;                              // 0 when no whole response came
  std::string reason;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body{};
  std::string error;                           // empty when a whole response came: why not, in words
  std::string header(const std::string& lower_name) const;  // "" when absent
};

HttpReply http_call(const std::string& host, std::uint16_t port, const HttpCall& call);

}  // namespace platespin
