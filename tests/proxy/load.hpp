#pragma once
// Many requests at once against a proxy, on one event loop (no thread per
// connection), and raw exchanges that tell how the peer ended the connection.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace platespin::test {

struct Fetch {
  std::string target;
  int status = 0;              // 0: no response (closed, reset, timed out)
  std::size_t body_bytes = 0;  // bytes after the header
  double seconds = 0;          // connect to close
};

// GETs every target on its own connection (Connection: close), `concurrency`
// at a time; everything is abandoned after `timeout`. Results in target order.
std::vector<Fetch> fetch_all(std::uint16_t port, const std::vector<std::string>& targets, std::size_t concurrency,
                             std::chrono::seconds timeout = std::chrono::seconds(60));

struct Ending {
  std::string received;
  std::string how;  // "eof", "reset" or "timeout"
};
// Sends `bytes`, then reads until the peer closes or resets, or `timeout` passes.
Ending exchange_until_end(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout);

// A connection that sent `bytes` and then just stays open until destroyed.
class OpenConnection {
 public:
  OpenConnection(std::uint16_t port, const std::string& bytes);
  ~OpenConnection();
  // Closes with a TCP reset, as a client that aborts does.
  void reset();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace platespin::test
