#include "server_counts.hpp"

#include <sstream>
#include <stdexcept>
#include <string_view>

#include "json_whole_number.hpp"
#include "parse_number.hpp"

namespace platespin::bench {

namespace {

// A status as a JSON key or a metrics label: "0" (none sent) or 100-999, nothing else.
int status_code(std::string_view text) {
  const auto code = parse_number<unsigned>(text);
  if (!code || text.size() > 3 || (*code != 0 && *code < 100))
    throw std::invalid_argument("a status must be 0 or 100 to 999, not '" + std::string(text) + "'");
  return static_cast<int>(*code);
}

}  // namespace

std::size_t ServerCounts::ok() const { return by_status.contains(200) ? by_status.at(200) : 0; }
std::size_t ServerCounts::not_found() const { return by_status.contains(404) ? by_status.at(404) : 0; }
std::size_t ServerCounts::errors() const { return total() - ok() - not_found(); }
std::size_t ServerCounts::total() const {
  std::size_t n = 0;
  for (const auto& [status, count] : by_status) n += count;
  return n;
}

ServerCounts parse_flag_server_metrics(const std::string& text) {
  static const std::string kSample = "flag_server_requests_total{code=\"";
  ServerCounts out;
  bool family = false;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find("# TYPE flag_server_requests_total") == 0) family = true;
    if (line.rfind(kSample, 0) != 0) continue;
    const auto code_end = line.find('"', kSample.size());
    const auto space = line.rfind(' ');
    if (code_end == std::string::npos || space == std::string::npos || space < code_end)
      throw std::invalid_argument("a flag_server_requests_total sample that does not parse: " + line);
    const auto count = parse_number<std::size_t>(std::string_view(line).substr(space + 1));
    if (!count) throw std::invalid_argument("a flag_server_requests_total count that is not a whole number: " + line);
    out.by_status[status_code(std::string_view(line).substr(kSample.size(), code_end - kSample.size()))] = *count;
  }
  if (!family && out.by_status.empty()) throw std::invalid_argument("no flag_server_requests_total in the metrics");
  return out;
}

ServerCounts parse_proxy_listener(const std::string& body) {
  ServerCounts out;
  const auto listener = nlohmann::json::parse(body);  // a named object: items() refers into it
  for (const auto& [status, n] : listener.at("counters").at("by_status").items())
    out.by_status[status_code(status)] = n.get<std::size_t>();
  return out;
}

ServerCounts difference(const ServerCounts& after, const ServerCounts& before) {
  ServerCounts out;
  for (const auto& [status, n] : after.by_status) {
    const auto was = before.by_status.contains(status) ? before.by_status.at(status) : 0;
    if (n > was) out.by_status[status] = n - was;
  }
  return out;
}

void to_json(nlohmann::json& j, const ServerCounts& c) {
  nlohmann::json by_status = nlohmann::json::object();
  for (const auto& [status, n] : c.by_status) by_status[std::to_string(status)] = n;
  j = {{"ok", c.ok()}, {"not_found", c.not_found()}, {"errors", c.errors()}, {"by_status", by_status}};
}

void from_json(const nlohmann::json& j, ServerCounts& c) {
  for (const auto& [status, n] : j.at("by_status").items())
    c.by_status[status_code(status)] = whole_number<std::size_t>(n, "by_status");
}

}  // namespace platespin::bench
