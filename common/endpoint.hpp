#pragma once
// HOST:PORT addresses as every binary's command line takes them.
#include <cstdint>
#include <string>

namespace platespin {

struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
  std::string to_string() const;  // "host:port", IPv6 hosts in brackets
};

// "127.0.0.1:8001", "localhost:0", "[::1]:80", ":8001" (host defaults to default_host).
// Throws std::invalid_argument with a message that names the bad value.
Endpoint parse_endpoint(const std::string& text, const std::string& default_host = "127.0.0.1");

}  // namespace platespin
