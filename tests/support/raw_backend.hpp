#pragma once
// A backend a test scripts byte for byte, to see what a proxy does with a
// hostile or broken server (bodies after a 204, extra responses, 1xx floods),
// and that records every request it received, split by its own framing.
// Plain sockets and a thread per connection: a real peer on 127.0.0.1:0.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace platespin::test {

class RawBackend {
 public:
  struct Reply {
    std::string bytes;   // sent as they are
    bool close = false;  // then close the connection
  };
  struct Request {
    std::size_t connection;  // 0 for the first connection accepted
    std::string bytes;       // head and body as received
  };
  // The answer to the `index`-th request (0-based) on connection `connection`.
  using Script = std::function<Reply(const std::string& request, std::size_t index, std::size_t connection)>;

  explicit RawBackend(Script script);
  ~RawBackend();
  RawBackend(const RawBackend&) = delete;
  RawBackend& operator=(const RawBackend&) = delete;

  std::uint16_t port() const;
  std::string address() const;  // "127.0.0.1:PORT"
  std::vector<Request> requests() const;
  std::size_t connections() const;

  // The usual answer: 200 with `body` (keep-alive).
  static std::string ok(const std::string& body);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace platespin::test
