// chaos_proxy: the fault-injecting HTTP/TCP proxy that replaces Vaurien in the
// book's demo. Vaurien's command line for one listener, or --config for several.
#include <iostream>

#include "cli.hpp"
#include "proxy_config.hpp"
#include "proxy_server.hpp"

using namespace platespin;
using namespace platespin::proxy;

int main(int argc, char** argv) {
  CLI::App app{"chaos_proxy: a fault-injecting HTTP/TCP proxy (Vaurien's command line)", "chaos_proxy"};
  add_version_flag(app);
  std::string proxy, backend, protocol = "http", behavior, config_file, api, name = "proxy";
  std::uint64_t seed = 0, max_connections = 0;
  unsigned threads = 0;
  double timeout = 10, idle_timeout = 60;
  BehaviorParams params;
  auto* proxy_opt = app.add_option("--proxy", proxy, "HOST:PORT to listen on (port 0: any free port)");
  auto* backend_opt = app.add_option("--backend", backend, "HOST:PORT of the server behind the proxy");
  auto* protocol_opt = app.add_option("--protocol", protocol, "http (faults per request) or tcp (per connection)")
                           ->check(CLI::IsMember({"http", "tcp"}));
  std::vector<CLI::Option*> listener_opts{proxy_opt, backend_opt, protocol_opt};
  listener_opts.push_back(app.add_option("--behavior", behavior,
                                         "PERCENT:NAME,... e.g. 25:error,50:delay; the rest passes through. "
                                         "Names: dummy delay error hang blackout abort bandwidth truncate slicer"));
  listener_opts.push_back(app.add_option("--behavior-delay-sleep", params.delay_s, "delay: seconds (default 1)"));
  listener_opts.push_back(app.add_option("--behavior-delay-before", params.delay_before,
                                         "delay: true = before calling the backend, false = after its answer"));
  listener_opts.push_back(app.add_option("--behavior-error-codes", params.error_codes, "error: statuses to pick from")
                              ->delimiter(','));
  listener_opts.push_back(app.add_option("--behavior-bandwidth", params.bandwidth_bps, "bandwidth: bytes per second"));
  listener_opts.push_back(
      app.add_option("--behavior-truncate-bytes", params.truncate_bytes, "truncate: body bytes sent at most"));
  listener_opts.push_back(app.add_option("--behavior-slice-bytes", params.slice_bytes, "slicer: bytes per write"));
  listener_opts.push_back(app.add_option("--behavior-slice-gap", params.slice_gap_s, "slicer: seconds between writes"));
  listener_opts.push_back(app.add_option("--jitter", params.jitter_s, "delay: plus or minus this many seconds"));
  listener_opts.push_back(
      app.add_option("--max-connections", max_connections, "client connections at once; more are closed (0: no limit)"));
  listener_opts.push_back(app.add_option("--name", name, "the listener's name in the API, metrics and seeded decisions"));
  auto* config_opt = app.add_option("--config", config_file, "YAML file with several listeners (configs/proxies.yaml)");
  auto* seed_opt = app.add_option("--seed", seed, "reproducible chaos: the same requests get the same faults");
  auto* api_opt = app.add_option("--api", api, "HOST:PORT of the control API (GET /proxies, /metrics)");
  auto* timeout_opt = app.add_option("--timeout", timeout, "backend connect and read timeout, seconds")
                          ->check(CLI::Range(0.001, 3600.0));
  auto* idle_timeout_opt =
      app.add_option("--idle-timeout", idle_timeout,
                     "seconds a client connection may sit with nothing going on (HTTP: between requests; "
                     "TCP: no byte either way) before it is closed (default 60)")
          ->check(CLI::Range(0.001, 86400.0));
  auto* threads_opt = app.add_option("--threads", threads, "event-loop threads (default: one per core)")
                          ->check(CLI::Range(1U, 256U));
  if (auto code = parse_command_line(app, argc, argv)) return *code;

  ProxyConfig config;
  try {
    if (*config_opt) {
      for (const auto* opt : listener_opts)
        if (opt->count() > 0) return usage_error(app, opt->get_name() + " cannot be used with --config (set it in the file)");
      YamlReader yaml(config_file);
      config = read_proxy_config(yaml, yaml.root());
    } else {
      if (!*proxy_opt || !*backend_opt) return usage_error(app, "--proxy and --backend are required (or --config FILE)");
      ListenerConfig l;
      validate_listener_name(name);
      l.name = name;
      l.listen = parse_endpoint(proxy);
      l.backend = parse_endpoint(backend);
      l.protocol = protocol_from_string(protocol);
      l.behaviors = parse_behavior_mix(behavior, l.protocol);
      validate(params);
      l.params = params;
      l.max_connections = max_connections;
      config.listeners.push_back(std::move(l));
    }
  } catch (const ConfigError& e) {
    std::cerr << "chaos_proxy: error: " << e.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    return usage_error(app, e.what());
  }
  try {
    if (*seed_opt) config.seed = seed;
    if (*timeout_opt) config.timeout_s = timeout;
    if (*idle_timeout_opt) config.idle_timeout_s = idle_timeout;
    if (*threads_opt) config.threads = threads;
    if (*api_opt) config.api = parse_endpoint(api);
  } catch (const std::invalid_argument& e) {
    return usage_error(app, e.what());
  }
  return run_proxy(config, config_opt->count() > 0);
}
