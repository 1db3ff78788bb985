#pragma once
// What the other side saw: the requests the proxy listener or flag_server
// answered during a client run, by status. Whatever a client reports, these
// are counted by flagbench's own services, so a client that claims more
// successes than were served shows.
#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace platespin::bench {

struct ServerCounts {
  std::map<int, std::size_t> by_status;  // 0: no status was sent (a hang, a cut connection)

  std::size_t ok() const;         // 200
  std::size_t not_found() const;  // 404
  std::size_t errors() const;     // every other status, and none
  std::size_t total() const;
};

// flag_server's GET /metrics text: the flag_server_requests_total{code="N"} samples.
// Throws std::invalid_argument when the text has none of them and no family header.
ServerCounts parse_flag_server_metrics(const std::string& text);

// chaos_proxy's GET /proxies/NAME body: counters.by_status. Throws nlohmann::json::exception.
ServerCounts parse_proxy_listener(const std::string& body);

// after - before, status by status (counters only grow; a status missing before counts from 0).
ServerCounts difference(const ServerCounts& after, const ServerCounts& before);

void to_json(nlohmann::json& j, const ServerCounts& c);
void from_json(const nlohmann::json& j, ServerCounts& c);

}  // namespace platespin::bench
