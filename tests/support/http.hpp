#pragma once
// The tests' HTTP: requests through the product's one client (http_call), and
// raw byte exchanges for requests no well-behaved client would send.
#include <chrono>
#include <cstdint>
#include <map>
#include <vector>
#include <string>

#include "http_client.hpp"

namespace platespin::test {

using platespin::HttpReply;

// One request on a fresh connection to 127.0.0.1:port. Throws std::runtime_error
// when no whole response came.
HttpReply http_request(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::map<std::string, std::string>& headers = {},
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));

inline HttpReply http_get(std::uint16_t port, const std::string& target,
                          const std::map<std::string, std::string>& headers = {}) {
  return http_request(port, "GET", target, headers);
}

// Sends `bytes` as they are and returns all the peer sends until it closes the
// connection or `timeout` passes.
std::string raw_exchange(std::uint16_t port, const std::string& bytes,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5));

struct RawExchange {
  std::string received;
  bool closed_by_peer = false;  // false: `timeout` passed with the connection still open
};

// Like raw_exchange(), but `timeout` holds even when the peer never closes, and
// the result says whether it did.
RawExchange raw_exchange_until_close(std::uint16_t port, const std::string& bytes,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(5));

// Like raw_exchange_until_close(), but `bytes` go out in separate writes of
// `piece` bytes each, Nagle off: the peer sees them arrive split (how the
// kernel delivers them is its business; the answer must not depend on it).
RawExchange raw_exchange_in_pieces(std::uint16_t port, const std::string& bytes, std::size_t piece,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Parses one or more HTTP responses from raw bytes (for pipelining tests).
std::vector<HttpReply> parse_responses(const std::string& bytes);

}  // namespace platespin::test
