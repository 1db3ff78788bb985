#include "services.hpp"

#include <signal.h>

#include <boost/url/parse.hpp>
#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "health_check.hpp"
#include "process_setup.hpp"
#include "http_client.hpp"
#include "port_check.hpp"
#include "proxy_listeners.hpp"

namespace platespin::bench {

namespace {

using namespace std::chrono_literals;

std::filesystem::path data_root_of(const Scenario& scenario) {
  const auto root = scenario.data_root.empty() ? executable_dir() / ".." / "data" : scenario.data_root;
  if (!std::filesystem::is_directory(root / "flags"))
    throw std::runtime_error("no flag data set at " + (root / "flags").string() +
                             " (build it with scripts/bootstrap, or set data_root in the scenario)");
  return std::filesystem::weakly_canonical(root);
}

std::string flags_url(const Endpoint& where) { return "http://" + where.to_string() + "/flags"; }

// Starts `exe` and waits for its `count` "listening on" lines.
std::vector<Endpoint> start_child(Services& services, const std::string& exe, const std::vector<std::string>& args,
                                  std::size_t count, const std::filesystem::path& work_dir) {
  const auto err = work_dir / (exe + ".stderr");
  services.children.push_back(
      std::make_unique<ChildProcess>(sibling_binary(exe), args, ChildOptions{.err = ChildOutput::into(err)}));
  try {
    return services.children.back()->wait_listening(count, 30s);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(exe + " did not start: " + e.what() + "\n" + tail_of(err));
  }
}

Endpoint endpoint_of_url(const std::string& label, const std::string& url) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->host().empty())
    throw std::runtime_error("endpoint " + label + ": '" + url + "' is not a URL like http://HOST:PORT/flags");
  return Endpoint{parsed->host(), parsed->has_port() ? parsed->port_number() : std::uint16_t{80}};
}

}  // namespace

std::filesystem::path sibling_binary(const std::string& name) { return executable_dir() / name; }

std::string tail_of(const std::filesystem::path& file, std::size_t max_lines) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > max_lines) lines.erase(lines.begin());
  }
  std::string out;
  for (const auto& line : lines) out += "  | " + line + "\n";
  return out;
}

void Services::reset_proxy() const {
  if (!proxy_api) return;
  const HttpReply reply = http_call(proxy_api->host, proxy_api->port, {.method = "POST", .target = "/reset", .timeout = 5s});
  if (reply.status != 204)
    throw std::runtime_error("chaos_proxy's POST /reset answered " +
                             (reply.status ? std::to_string(reply.status) : reply.error) + ", not 204");
}

std::optional<ServerCounts> Services::counts_of(const std::string& label) const {
  try {
    if (label == "LOCAL" && flag_server) {
      const HttpReply reply = http_call(flag_server->host, flag_server->port, {.target = "/metrics", .timeout = 5s});
      if (reply.status == 200) return parse_flag_server_metrics(reply.body);
    } else if (proxy_api && std::find(proxy_listeners.begin(), proxy_listeners.end(), label) != proxy_listeners.end()) {
      const HttpReply reply = http_call(proxy_api->host, proxy_api->port, {.target = "/proxies/" + label, .timeout = 5s});
      if (reply.status == 200) return parse_proxy_listener(reply.body);
    }
  } catch (const std::exception&) {
    // Not flag_server or not chaos_proxy after all (external mode): nothing counted.
  }
  return std::nullopt;
}

std::optional<ServerCounts> Services::served_since(const std::string& label,
                                                   const std::optional<ServerCounts>& before) const {
  const auto after = counts_of(label);
  if (!before || !after) return std::nullopt;
  ServerCounts served = difference(*after, *before);
  // flag_server and chaos_proxy count a reply before they write it, so a
  // client that has its answers finds them counted. flag_server's GET /metrics
  // is rendered before its own reply is counted: the one that took `before`
  // is always in `after`, the one that took `after` never.
  if (const auto own = served.by_status.find(200); label == "LOCAL" && own != served.by_status.end())
    if (--own->second == 0) served.by_status.erase(own);
  return served;
}

void Services::stop() {
  for (auto& child : children) child->signal(SIGTERM);
  for (auto& child : children) child->wait(5s);
  children.clear();
}

Services start_services(const Scenario& scenario, const std::filesystem::path& work_dir) {
  Services services;
  if (scenario.external()) {
    for (const auto& [label, url] : scenario.endpoints) {
      const Endpoint where = endpoint_of_url(label, url);
      // docker-compose may still be starting the service: give it a while.
      if (!wait_until([&] { return tcp_reachable(where, 2s); }, 30s))
        throw std::runtime_error("endpoint " + label + " (" + url + ") does not accept connections");
      services.urls[label] = url;
    }
    services.proxy_api = scenario.proxy_api;
    if (scenario.endpoints.contains("LOCAL")) services.flag_server = endpoint_of_url("LOCAL", scenario.endpoints.at("LOCAL"));
    for (const auto& [label, url] : scenario.endpoints)
      if (label != "LOCAL") services.proxy_listeners.push_back(label);
    return services;
  }

  check_fixed_ports(scenario);
  const std::string port = std::to_string(scenario.server_port.value_or(0));
  std::vector<std::string> server_args = {"--port", port, "--root", data_root_of(scenario).string()};
  if (scenario.server_threads) server_args.insert(server_args.end(), {"--threads", std::to_string(*scenario.server_threads)});
  const Endpoint server = start_child(services, "flag_server", server_args, 1, work_dir).at(0);
  if (!wait_until([&] { return http_call(server.host, server.port, {.target = "/healthz", .timeout = 2s}).status == 200; }, 20s))
    throw std::runtime_error("flag_server at " + server.to_string() + " does not answer /healthz with 200");
  services.urls["LOCAL"] = flags_url(server);
  services.flag_server = server;

  if (!scenario.listeners.empty()) {
    const auto config = work_dir / "proxies.yaml";
    std::ofstream(config) << proxy_config_yaml(scenario.proxy, server);
    // One line per listener in file order, then the API's.
    const auto listening =
        start_child(services, "chaos_proxy", {"--config", config.string()}, scenario.listeners.size() + 1, work_dir);
    for (std::size_t i = 0; i < scenario.listeners.size(); ++i) {
      services.urls[scenario.listeners[i].name] = flags_url(listening[i]);
      services.proxy_listeners.push_back(scenario.listeners[i].name);
    }
    services.proxy_api = listening.back();
  }
  return services;
}

}  // namespace platespin::bench
