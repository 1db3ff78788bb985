#include "server_url.hpp"

#include "ascii_case.hpp"
#include "endpoint.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

namespace platespin {

namespace {

// The book's SERVERS table, on the ports of the demo. The book prints
// localhost; we connect to 127.0.0.1, where the demo's servers listen (localhost
// may resolve to ::1 first). REMOTE (the book's flupy.org) is not ours to hit:
// it needs --site REMOTE=URL or PLATESPIN_REMOTE_URL.
struct BookSite {
  const char* label;
  std::uint16_t port;
};
constexpr std::array<BookSite, 3> kBookSites{{{"LOCAL", 8001}, {"DELAY", 8002}, {"ERROR", 8003}}};

ServerUrl parse_url(const std::string& text) {
  const auto bad = [&](const std::string& why) {
    return std::invalid_argument("bad server '" + text + "': " + why +
                                 " (expected LOCAL, DELAY, ERROR, REMOTE, a --site label or http://HOST:PORT/PATH)");
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

std::string ServerUrl::authority() const { return Endpoint{host, port}.to_string(); }

std::string ServerUrl::target(const std::string& relative) const { return path + "/" + relative; }

std::string site_label(const std::string& text) { return ascii_upper(text); }

ServerUrl parse_server(const std::string& label_or_url, const SiteTable& sites) {
  if (label_or_url.find("://") != std::string::npos) return parse_url(label_or_url);
  const std::string key = site_label(label_or_url);
  if (const auto pointed = sites.find(key); pointed != sites.end()) {
    ServerUrl s = parse_url(pointed->second);
    s.label = key;
    return s;
  }
  const auto book = std::find_if(kBookSites.begin(), kBookSites.end(), [&](const auto& b) { return key == b.label; });
  if (book != kBookSites.end()) {
    ServerUrl s = parse_url("http://127.0.0.1:" + std::to_string(book->port) + "/flags");
    s.label = book->label;
    s.url = "http://localhost:" + std::to_string(book->port) + "/flags";
    return s;
  }
  if (key == "REMOTE")
    throw std::invalid_argument("--server REMOTE needs a URL: --site REMOTE=URL or PLATESPIN_REMOTE_URL=URL");
  std::string labels = "DELAY, ERROR, LOCAL, REMOTE";
  for (const auto& [label, url] : sites) labels += ", " + label;
  throw std::invalid_argument("--server LABEL must be one of " + labels + " or a URL");
}

}  // namespace platespin
