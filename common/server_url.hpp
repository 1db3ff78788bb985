#pragma once
// Where a client sends its requests: the book's server labels (LOCAL, DELAY,
// ERROR, REMOTE), labels pointed elsewhere, or any http://host:port/path URL.
#include <cstdint>
#include <map>
#include <string>

namespace platespin {

struct ServerUrl {
  std::string label;  // LOCAL, DELAY, ERROR, REMOTE, another --site label, or URL when given as a URL
  std::string url;    // the base URL as printed, without a trailing '/'
  std::string host;
  std::uint16_t port = 80;
  std::string path;  // the base path without a trailing '/', may be empty

  // "host:port", the Host header and the key of a connection.
  std::string authority() const;
  // The request target for `relative` ("ad/ad.gif") under the base path.
  std::string target(const std::string& relative) const;
};

// Labels pointed elsewhere (--site DELAY=URL, PLATESPIN_DELAY_URL): upper-case label → URL.
using SiteTable = std::map<std::string, std::string>;

// A label (any case) looked up in `sites` first; then the book's LOCAL →
// localhost:8001/flags, DELAY → :8002, ERROR → :8003 (REMOTE has no URL
// unless `sites` gives one); otherwise an http:// URL with a host. Throws
// std::invalid_argument saying what is wrong.
ServerUrl parse_server(const std::string& label_or_url, const SiteTable& sites = {});

// Upper case, as the book's `args.server.upper()`.
std::string site_label(const std::string& text);

}  // namespace platespin
