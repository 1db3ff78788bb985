#include "endpoint.hpp"

#include <stdexcept>

#include "parse_number.hpp"

namespace platespin {

std::string Endpoint::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Endpoint parse_endpoint(const std::string& text, const std::string& default_host) {
  const auto bad = [&](const std::string& why) {
    return std::invalid_argument("bad address '" + text + "': " + why + " (expected HOST:PORT)");
  };
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) throw bad("no port");
  std::string host = text.substr(0, colon);
  const std::string port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = default_host;
  const auto port = parse_number<unsigned>(port_text);
  if (!port || *port > 65535) throw bad("port must be a number from 0 to 65535");
  return Endpoint{host, static_cast<std::uint16_t>(*port)};
}

}  // namespace platespin
