#include "server_url.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <utility>

namespace platespin {

namespace {

// The book's SERVERS table, on the ports of the demo.
constexpr std::array<std::pair<const char*, const char*>, 3> kLabels{{
    {"LOCAL", "http://127.0.0.1:8001/flags"},
    {"DELAY", "http://127.0.0.1:8002/flags"},
    {"ERROR", "http://127.0.0.1:8003/flags"},
}};

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

ServerUrl parse_url(const std::string& text) {
  const auto bad = [&](const std::string& why) {
    return std::invalid_argument("bad server '" + text + "': " + why +
                                 " (expected LOCAL, DELAY, ERROR or http://HOST:PORT/PATH)");
  };
  const auto parsed = boost::urls::parse_uri(text);
  if (!parsed) throw bad("not a URL");
  const auto& u = *parsed;
  if (u.scheme() != "http") throw bad("only http:// is supported");
  if (u.host().empty()) throw bad("no host");
  if (u.has_query() || u.has_fragment()) throw bad("no query or fragment allowed");
  ServerUrl s;
  s.label = "URL";
  s.host = u.host_address();
  if (u.has_port()) {
    if (u.port().empty() || u.port_number() == 0) throw bad("port must be a number from 1 to 65535");
    s.port = u.port_number();
  }
  s.path = u.encoded_path();
  while (!s.path.empty() && s.path.back() == '/') s.path.pop_back();
  s.url = "http://" + s.authority() + s.path;
  return s;
}

}  // namespace

std::string ServerUrl::authority() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string ServerUrl::target(const std::string& relative) const { return path + "/" + relative; }

ServerUrl parse_server(const std::string& label_or_url) {
  const std::string key = upper(label_or_url);
  const auto known = std::find_if(kLabels.begin(), kLabels.end(), [&](const auto& l) { return key == l.first; });
  if (known != kLabels.end()) {
    ServerUrl s = parse_url(known->second);
    s.label = known->first;
    return s;
  }
  if (label_or_url.find("://") == std::string::npos)
    throw std::invalid_argument("bad server '" + label_or_url + "': must be one of DELAY, ERROR, LOCAL or a URL");
  return parse_url(label_or_url);
}

}  // namespace platespin
