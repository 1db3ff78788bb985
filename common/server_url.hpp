#pragma once
// Where a client sends its requests: the book's server labels (LOCAL, DELAY,
// ERROR) or any http://host:port/path URL.
#include <cstdint>
#include <string>

namespace platespin {

struct ServerUrl {
  std::string label;  // LOCAL, DELAY, ERROR, or URL when given as a URL
  std::string url;    // the base URL as given, without a trailing '/'
  std::string host;
  std::uint16_t port = 80;
  std::string path;  // the base path without a trailing '/', may be empty

  // "host:port", the Host header and the key of a connection.
  std::string authority() const;
  // The request target for `relative` ("ad/ad.gif") under the base path.
  std::string target(const std::string& relative) const;
};

// "LOCAL" (any case) → http://127.0.0.1:8001/flags, DELAY → :8002, ERROR → :8003;
// otherwise an http:// URL with a host. Throws std::invalid_argument saying what is wrong.
ServerUrl parse_server(const std::string& label_or_url);

}  // namespace platespin
