#pragma once
#include <string>

namespace platespin::proxy {

// What a listener proxies: HTTP requests (faults per request) or a TCP stream (per connection).
enum class Protocol { http, tcp };
const char* to_string(Protocol protocol);
Protocol protocol_from_string(const std::string& text);  // throws std::invalid_argument

}  // namespace platespin::proxy
