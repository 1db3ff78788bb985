// chaos_proxy: the fault-injecting HTTP/TCP proxy that replaces Vaurien in the
// book's demo. Vaurien's command line for one listener, or --config for several.
#include <fmt/format.h>

#include <cstdlib>
#include <iostream>

#include "address_range.hpp"
#include "cli.hpp"
#include "proxy_config.hpp"
#include "proxy_server.hpp"

using namespace platespin;
using namespace platespin::proxy;

namespace {

// toxiproxy-server's flags are Go's: one dash (-host, -port=8474). CLI11
// reads two, so those become --host, --port, --config and --seed.
std::vector<std::string> with_toxiproxy_flags(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  for (std::size_t i = 1; i < args.size(); ++i)
    for (const std::string flag : {"-host", "-port", "-config", "-seed"})
      if (args[i] == flag || args[i].starts_with(flag + "=")) args[i] = "-" + args[i];
  return args;
}

}  // namespace

int main(int raw_argc, char** raw_argv) {
  std::vector<std::string> arg_strings = with_toxiproxy_flags(raw_argc, raw_argv);
  std::vector<char*> arg_pointers;
  for (auto& a : arg_strings) arg_pointers.push_back(a.data());
  const int argc = static_cast<int>(arg_pointers.size());
  char** argv = arg_pointers.data();
  CLI::App app{"chaos_proxy: a fault-injecting HTTP/TCP proxy (Vaurien's command line)", "chaos_proxy"};
  add_version_flag(app);
  std::string proxy, backend, protocol = "http", behavior, config_file, api, name = "proxy";
  std::uint64_t seed = 0, max_connections = 0;
  unsigned threads = 0;
  double timeout = 10, idle_timeout = 60;
  std::vector<std::string> toxics;
  auto* proxy_opt = app.add_option("--proxy", proxy, "HOST:PORT to listen on (port 0: any free port)");
  auto* backend_opt = app.add_option("--backend", backend, "HOST:PORT of the server behind the proxy");
  auto* protocol_opt = app.add_option("--protocol", protocol, "http (faults per request) or tcp (per connection)")
                           ->check(CLI::IsMember({"http", "tcp"}));
  std::vector<CLI::Option*> listener_opts{proxy_opt, backend_opt, protocol_opt};
  std::string behavior_help = "PERCENT:NAME,... e.g. 25:error,50:delay; the rest passes through. Names:";
  for (const Fault* b : behaviors()) behavior_help.append(" ").append(b->name());
  listener_opts.push_back(app.add_option("--behavior", behavior, behavior_help));
  // Each behavior parameter's option, from its declaration; the values are read after parsing.
  std::vector<std::pair<const Parameter*, std::vector<std::string>>> param_texts;
  param_texts.reserve(behavior_parameters().size());
  for (const Fault* b : behaviors())
    for (const Parameter& p : b->parameters()) {
      if (p.option.empty()) continue;
      auto& [param, texts] = param_texts.emplace_back(&p, std::vector<std::string>{});
      auto* opt = app.add_option("--" + std::string(p.option), texts,
                                 fmt::format("{}: {} ({}; default {})", b->name(), p.help, expected(p), p.fallback.dump()));
      if (p.kind == Kind::statuses) opt->delimiter(',');
      else opt->expected(1);
      listener_opts.push_back(opt);
    }
  listener_opts.push_back(app.add_option("--toxic", toxics, "TYPE[:STREAM][@TOXICITY],ATTRIBUTE=VALUE,...: a toxic, "
                                                            "applied after the behavior (repeatable, in order; see below)"));
  listener_opts.push_back(
      app.add_option("--max-connections", max_connections, "client connections at once; more are closed (0: no limit)"));
  listener_opts.push_back(app.add_option("--name", name, "the listener's name in the API, metrics and seeded decisions"));
  auto* config_opt = app.add_option("--config", config_file, "YAML file with several listeners (configs/proxies.yaml)");
  auto* seed_opt = app.add_option("--seed", seed, "reproducible chaos: the same requests get the same faults");
  auto* api_opt = app.add_option("--api", api, "HOST:PORT of the control API (GET /proxies, /metrics)");
  std::string api_host = "127.0.0.1";
  std::uint16_t api_port = 8474;
  auto* host_opt = app.add_option("--host", api_host,
                                  "toxiproxy-server's: the API's host when --api is not given (default 127.0.0.1)");
  auto* port_opt = app.add_option("--port", api_port,
                                  "toxiproxy-server's: the API's port when --api is not given (default 8474)");
  std::vector<std::string> allow_listen;
  app.add_option("--allow-listen", allow_listen,
                 "CIDR range (repeatable) where the API may open listeners, e.g. 127.0.0.0/8; others get 403 "
                 "(default: anywhere)")
      ->check([](const std::string& text) {
        try {
          AddressRange::parse(text);
          return std::string();
        } catch (const std::invalid_argument& e) {
          return std::string(e.what());
        }
      });
  std::string api_token;
  auto* api_token_opt = app.add_option("--api-token", api_token,
                                       "the API wants Authorization: Bearer TOKEN on every route but /healthz "
                                       "(default: $CHAOS_PROXY_API_TOKEN)");
  auto* timeout_opt = app.add_option("--timeout", timeout, "backend connect and read timeout, seconds")
                          ->check(CLI::Range(0.001, 3600.0));
  auto* idle_timeout_opt =
      app.add_option("--idle-timeout", idle_timeout,
                     "seconds a client connection may sit with nothing going on (HTTP: between requests; "
                     "TCP: no byte either way) before it is closed (default 60)")
          ->check(CLI::Range(0.001, 86400.0));
  auto* threads_opt = app.add_option("--threads", threads, "event-loop threads (default: one per core)")
                          ->check(CLI::Range(1U, 256U));
  app.footer(toxics_help());
  if (auto code = parse_command_line(app, argc, argv)) return *code;

  ProxyConfig config;
  try {
    if (*config_opt) {
      for (const auto* opt : listener_opts)
        if (opt->count() > 0) return usage_error(app, opt->get_name() + " cannot be used with --config (set it in the file)");
      YamlReader yaml(config_file);
      config = read_proxy_config(yaml, yaml.root());
      // toxiproxy-server's JSON array names no API: it is there all the same, as with toxiproxy-server.
      if (yaml.root().IsSequence()) config.api = Endpoint{api_host, api_port};
    } else if (!*proxy_opt && !*backend_opt) {
      // As toxiproxy-server: no listeners yet, the API on 127.0.0.1:8474 (-host, -port) makes them.
      config.api = Endpoint{api_host, api_port};
    } else {
      if (!*proxy_opt || !*backend_opt) return usage_error(app, "--proxy and --backend go together (or --config FILE)");
      ListenerConfig l;
      validate_listener_name(name);
      nlohmann::json given = nlohmann::json::object();
      for (const auto& [param, texts] : param_texts)
        for (const auto& text : texts) {
          try {
            add_text(*param, given[std::string(param->key)], text);
          } catch (const std::invalid_argument& e) {
            throw std::invalid_argument("--" + std::string(param->option) + ": " + e.what());
          }
        }
      l.name = name;
      l.listen = parse_endpoint(proxy);
      l.backend = parse_endpoint(backend);
      l.protocol = protocol_from_string(protocol);
      l.behaviors = parse_behavior_mix(behavior, l.protocol);
      l.params = behavior_values(given);
      for (const auto& spec : toxics) l.toxics.push_back(toxic_from_command_line(spec, l.protocol));
      check_toxic_names(l.toxics);
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
    if (!allow_listen.empty()) config.allow_listen = allow_listen;
    if (*api_token_opt) {
      config.api_token = api_token;
    } else if (const char* env = std::getenv("CHAOS_PROXY_API_TOKEN"); env && *env && config.api_token.empty()) {
      config.api_token = env;
    }
  } catch (const std::invalid_argument& e) {
    return usage_error(app, e.what());
  }
  if ((*host_opt || *port_opt) && *api_opt) return usage_error(app, "--api and --host/--port say the same thing: pick one");
  if ((*host_opt || *port_opt) && !*api_opt) config.api = Endpoint{api_host, api_port};
  return run_proxy(config, config_opt->count() > 0);
}
