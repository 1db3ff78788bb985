#include "scenario.hpp"

#include <fmt/ranges.h>
#include <algorithm>
#include <stdexcept>
#include <unordered_set>

#include "command_template.hpp"
#include "country_codes.hpp"
#include "proxy_listeners.hpp"

namespace platespin::bench {

namespace {

const std::vector<std::string> kClients = {"sequential", "threadpool", "async"};
const std::vector<std::string> kResultForms = {"platespin", "flags2", "none"};

std::string join(const std::vector<std::string>& items) { return fmt::format("{}", fmt::join(items, ", ")); }

// A name shows up in the table, the SVG, file names and one-line progress
// reports: a newline or another control character would break each of them.
void check_name(const YamlReader& yaml, const YAML::Node& node, const std::string& name, std::string_view what) {
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      yaml.fail(node, std::string(what) + " must be printable text (no newline or other control character)");
}

template <typename T>
std::optional<T> optional_of(const YamlReader& yaml, const YAML::Node& map, const std::string& key,
                             std::string_view expected) {
  const YAML::Node node = map[key];
  if (!node) return std::nullopt;
  return yaml.as<T>(node, key, expected);
}

// `codes:` is `every` (AA..ZZ), `all` (the book's 194), or a list of codes and letters.
std::vector<std::string> read_codes(const YamlReader& yaml, const YAML::Node& run) {
  const YAML::Node node = run["codes"];
  if (!node) yaml.fail(run, "missing key 'codes' (every, all, or a list of codes and letters)");
  std::vector<std::string> args;
  if (node.IsScalar()) {
    const auto text = node.as<std::string>();
    if (text == "every") return {"-e"};
    if (text == "all") return {"-a"};
    for (std::size_t at = 0; at < text.size();) {
      const auto end = std::min(text.find(' ', at), text.size());
      if (end > at) args.push_back(text.substr(at, end - at));
      at = end + 1;
    }
  } else if (node.IsSequence()) {
    for (const auto& code : node) args.push_back(yaml.as<std::string>(code, "codes", "a list of codes and letters"));
  }
  if (args.empty()) yaml.fail(node, "'codes' must be every, all, or a non-empty list of codes and letters");
  try {
    expand_code_arguments(args);
  } catch (const std::invalid_argument& e) {
    yaml.fail(node, std::string("'codes': ") + e.what());
  }
  return args;
}

Expectations read_expect(const YamlReader& yaml, const YAML::Node& node) {
  yaml.check_keys(node,
                  {"items_per_s_min", "items_per_s_max", "p99_ms_max", "errors_max", "errors", "ok", "not_found",
                   "recovered_within_s"},
                  "expect");
  Expectations e;
  e.items_per_s_min = optional_of<double>(yaml, node, "items_per_s_min", "a number of items per second");
  e.items_per_s_max = optional_of<double>(yaml, node, "items_per_s_max", "a number of items per second");
  e.p99_ms_max = optional_of<double>(yaml, node, "p99_ms_max", "a number of milliseconds");
  e.errors_max = optional_of<std::size_t>(yaml, node, "errors_max", "a count");
  e.errors = optional_of<std::size_t>(yaml, node, "errors", "a count");
  e.ok = optional_of<std::size_t>(yaml, node, "ok", "a count");
  e.not_found = optional_of<std::size_t>(yaml, node, "not_found", "a count");
  e.recovered_within_s = optional_of<double>(yaml, node, "recovered_within_s", "a number of seconds");
  if (e.recovered_within_s && *e.recovered_within_s < 0)
    yaml.fail(node["recovered_within_s"], "'recovered_within_s' must be 0 or more seconds");
  if (e.items_per_s_min && e.items_per_s_max && *e.items_per_s_min > *e.items_per_s_max)
    yaml.fail(node, "'items_per_s_min' is above 'items_per_s_max'");
  return e;
}

// A text with placeholders: checked here, so a typo is a FILE:LINE:COL error
// before anything starts; the {env:NAME} it needs are added to `needed`.
std::string read_template(const YamlReader& yaml, const YAML::Node& node, const std::string& key,
                          std::vector<std::string>& needed) {
  const auto text = yaml.as<std::string>(node, key, "text");
  try {
    check_placeholders(text);
  } catch (const std::invalid_argument& e) {
    yaml.fail(node, "'" + key + "': " + e.what());
  }
  for (auto& name : env_names(text))
    if (std::find(needed.begin(), needed.end(), name) == needed.end()) needed.push_back(std::move(name));
  return text;
}

// What the table calls an outside client: its program's name, or for `sh -c
// SCRIPT NAME ...` the NAME the script runs as ($0, the shell's convention).
std::string client_name(const std::vector<std::string>& command) {
  const auto name = [](const std::string& word) { return std::filesystem::path(word).filename().string(); };
  const std::string program = name(command.front());
  const bool shell = program == "sh" || program == "bash" || program == "dash";
  if (shell && command.size() > 3 && command[1] == "-c") return name(command[3]);
  return program;
}

// `command:`, `env:`, `cwd:` and `result:` of an outside client's run.
void read_command(const YamlReader& yaml, const YAML::Node& node, RunSpec& run) {
  const YAML::Node command = node["command"];
  if (!command.IsSequence() || command.size() == 0)
    yaml.fail(command, "'command' must be a non-empty list of words ([program, arg, ...])");
  for (const auto& word : command) run.command.push_back(read_template(yaml, word, "command", run.env_needed));
  if (run.command.front() == "{codes}") yaml.fail(command[0], "'command' must start with the program, not {codes}");
  if (const YAML::Node env = node["env"]) {
    if (!env.IsMap()) yaml.fail(env, "'env' must map variable names to values");
    for (const auto& entry : env) {
      const auto name = yaml.as<std::string>(entry.first, "env", "a variable name");
      if (name.empty() || name.find('=') != std::string::npos) yaml.fail(entry.first, "'env': a bad variable name");
      if (!run.env.emplace(name, read_template(yaml, entry.second, name, run.env_needed)).second)
        yaml.fail(entry.first, "duplicate variable '" + name + "' in env");
    }
  }
  if (const YAML::Node cwd = node["cwd"]) run.cwd = read_template(yaml, cwd, "cwd", run.env_needed);
  run.scenario_dir = std::filesystem::absolute(yaml.file()).parent_path();
  run.client = client_name(run.command);
  // Our clients' options: an outside client takes its options in its command.
  for (const char* key : {"args", "timeout", "retries", "passes", "repeat"})
    if (node[key])
      yaml.fail(node[key], std::string("'") + key + "' is an option of our clients (client:); write it into 'command'");
}

// The spellings of one release ago, accepted with a warning: `repeat` said two
// things (the client's passes and, as `run --repeat`, flagbench's rounds).
constexpr std::pair<const char*, const char*> kOldKeyNames[] = {{"repeat", "passes"}, {"repetitions", "rounds"}};

// The key's value under its name or its old one (with a warning), or none.
YAML::Node renamed(const YamlReader& yaml, const YAML::Node& node, const std::string& key,
                   std::vector<std::string>& warnings) {
  for (const auto& [old, now] : kOldKeyNames) {
    if (key != now || !node[old]) continue;
    if (node[now]) yaml.fail(node[old], std::string("'") + old + "' is the old name of '" + now + "': give one");
    warnings.push_back(yaml.where(node[old]) + ": '" + old + "' is now '" + now + "' (the old name goes in the next release)");
    return node[old];
  }
  return node[key];
}

RunSpec read_run(const YamlReader& yaml, const YAML::Node& node, std::vector<std::string>& warnings) {
  yaml.check_keys(node,
                  {"name", "client", "server", "concurrency", "codes", "limit", "passes", "timeout", "retries", "args",
                   "rounds", "time_limit", "repeat", "repetitions", "reference_items_per_s", "reference_source", "expect",
                   // an outside client (issue 13)
                   "command", "env", "cwd", "result",

                   // faults that change while it runs
                   "schedule"},
                  "a run");
  RunSpec run;
  run.name = yaml.get<std::string>(node, "name", "the run's name");
  check_name(yaml, node["name"], run.name, "'name'");
  if (node["client"] && node["command"])
    yaml.fail(node["command"], "a run has either 'client' (one of ours) or 'command' (any other), not both");
  if (!node["client"] && !node["command"])
    yaml.fail(node, "a run needs 'client' (" + join(kClients) + ") or 'command' (a list of words)");
  if (node["command"]) {
    read_command(yaml, node, run);
  } else {
    run.client = yaml.get<std::string>(node, "client", "sequential, threadpool or async");
    if (std::find(kClients.begin(), kClients.end(), run.client) == kClients.end())
      yaml.fail(node["client"], "unknown client '" + run.client + "' (allowed: " + join(kClients) + ")");
    for (const char* key : {"env", "cwd"})
      if (node[key]) yaml.fail(node[key], std::string("'") + key + "' is for outside clients (command:)");
  }
  if (const YAML::Node result = node["result"]) {
    run.result = yaml.as<std::string>(result, "result", "platespin, flags2 or none");
    if (std::find(kResultForms.begin(), kResultForms.end(), run.result) == kResultForms.end())
      yaml.fail(result, "unknown result '" + run.result + "' (allowed: " + join(kResultForms) + ")");
    if (!run.is_command() && run.result != "platespin")
      yaml.fail(result, "our clients write platespin results; 'result' other than platespin is for command: runs");
  }
  run.server = yaml.get<std::string>(node, "server", "LOCAL, a proxy listener's name or an endpoint label");
  const YAML::Node conc = node["concurrency"];
  if (!conc) yaml.fail(node, "missing key 'concurrency' (a number or a list of numbers)");
  run.concurrency = conc.IsSequence() ? yaml.as<std::vector<int>>(conc, "concurrency", "a list of numbers")
                                      : std::vector<int>{yaml.as<int>(conc, "concurrency", "a number")};
  if (run.concurrency.empty()) yaml.fail(conc, "'concurrency' is empty: the run would do nothing");
  for (int c : run.concurrency)
    if (c < 1) yaml.fail(conc, "'concurrency' values must be 1 or more");
  run.code_args = read_codes(yaml, node);
  run.limit = optional_of<int>(yaml, node, "limit", "a number of codes");
  if (run.limit && *run.limit < 1) yaml.fail(node["limit"], "'limit' must be 1 or more");
  if (const YAML::Node passes = renamed(yaml, node, "passes", warnings)) {
    run.passes = yaml.as<int>(passes, "passes", "a number of passes over the codes");
    if (*run.passes < 1) yaml.fail(passes, "'passes' must be 1 or more");
  }
  run.timeout = optional_of<double>(yaml, node, "timeout", "a number of seconds");
  if (run.timeout && *run.timeout <= 0) yaml.fail(node["timeout"], "'timeout' must be above 0");
  run.retries = optional_of<int>(yaml, node, "retries", "a number of retries");
  if (run.retries && *run.retries < 0) yaml.fail(node["retries"], "'retries' must be 0 or more");
  run.args = yaml.get_or<std::vector<std::string>>(node, "args", {}, "a list of client options");
  if (const YAML::Node rounds = renamed(yaml, node, "rounds", warnings)) {
    run.rounds = yaml.as<int>(rounds, "rounds", "a number of rounds");
    if (run.rounds < 1) yaml.fail(rounds, "'rounds' must be 1 or more");
  }
  run.time_limit_s = yaml.get_or<double>(node, "time_limit", 300, "a number of seconds");
  if (run.time_limit_s <= 0) yaml.fail(node["time_limit"], "'time_limit' must be above 0");
  run.reference_items_per_s = optional_of<double>(yaml, node, "reference_items_per_s", "a number of items per second");
  run.reference_source = yaml.get_or<std::string>(node, "reference_source", "", "text");
  if (const YAML::Node expect = node["expect"]) run.expect = read_expect(yaml, expect);
  return run;
}

std::map<std::string, std::string> read_endpoints(const YamlReader& yaml, const YAML::Node& node) {
  if (!node.IsMap()) yaml.fail(node, "'endpoints' must map labels to base URLs (LOCAL: http://HOST:PORT/flags)");
  std::map<std::string, std::string> out;
  for (const auto& entry : node) {
    const auto label = yaml.as<std::string>(entry.first, "endpoints", "a label");
    const auto url = yaml.as<std::string>(entry.second, label, "a base URL like http://HOST:PORT/flags");
    if (url.rfind("http://", 0) != 0) yaml.fail(entry.second, "endpoint '" + label + "' must be an http:// URL");
    if (!out.emplace(label, url).second) yaml.fail(entry.first, "duplicate endpoint '" + label + "'");
  }
  return out;
}

}  // namespace

std::vector<std::string> Scenario::labels() const {
  std::vector<std::string> out;
  if (external()) {
    for (const auto& [label, url] : endpoints) out.push_back(label);
  } else {
    out.push_back("LOCAL");
    for (const auto& listener : listeners) out.push_back(listener.name);
  }
  return out;
}

double Scenario::mean_delay_s(const std::string& label) const {
  for (const auto& listener : listeners)
    if (listener.name == label) return listener.mean_delay_s;
  return 0;
}

Scenario parse_scenario(const YamlReader& yaml, const ScenarioOverrides& overrides) {
  const YAML::Node& root = yaml.root();
  yaml.check_keys(root, {"name", "description", "data_root", "server", "proxy", "endpoints", "proxy_api", "runs"}, "the scenario");
  Scenario s;
  s.file = yaml.file();
  s.name = yaml.get<std::string>(root, "name", "the scenario's name");
  if (s.name.empty() || s.name.find_first_of("/ ") != std::string::npos)
    yaml.fail(root["name"], "'name' must be a non-empty word (it names the result files)");
  check_name(yaml, root["name"], s.name, "'name'");
  if (const YAML::Node dr = root["data_root"]) {
    s.data_root = yaml.as<std::string>(dr, "data_root", "a directory");
    if (s.data_root.is_relative()) s.data_root = s.file.parent_path() / s.data_root;
  }
  if (const YAML::Node server = root["server"]) {
    yaml.check_keys(server, {"threads", "port"}, "server");
    s.server_threads = optional_of<int>(yaml, server, "threads", "a number of threads");
    if (s.server_threads && *s.server_threads < 1) yaml.fail(server["threads"], "'threads' must be 1 or more");
    s.server_port = optional_of<int>(yaml, server, "port", "a port number");
    if (s.server_port && (*s.server_port < 1 || *s.server_port > 65535))
      yaml.fail(server["port"], "'port' must be 1 to 65535 (leave it out for a free port)");
  }
  if (const YAML::Node proxy = root["proxy"]) {
    s.listeners = read_listeners(yaml, proxy);
    s.proxy = proxy;
  }
  if (const YAML::Node endpoints = root["endpoints"]) s.endpoints = read_endpoints(yaml, endpoints);
  for (const auto& [label, url] : overrides.endpoints) s.endpoints[label] = url;
  if (const YAML::Node api = root["proxy_api"]) {
    if (!s.external()) yaml.fail(api, "'proxy_api' is for external mode (with endpoints); flagbench resets its own proxy");
    try {
      s.proxy_api = parse_endpoint(yaml.as<std::string>(api, "proxy_api", "HOST:PORT"));
    } catch (const std::invalid_argument& e) {
      yaml.fail(api, std::string("'proxy_api': ") + e.what());
    }
  }

  const YAML::Node runs = root["runs"];
  if (!runs) yaml.fail(root, "missing key 'runs' (the list of client runs)");
  if (!runs.IsSequence() || runs.size() == 0) yaml.fail(runs, "'runs' must be a non-empty list of runs");
  const auto labels = s.labels();
  std::unordered_set<std::string> names;  // a set: searching a list per run made 40,000 runs take seconds
  for (const auto& node : runs) {
    RunSpec run = read_run(yaml, node, s.warnings);
    if (const YAML::Node schedule = node["schedule"]) run.schedule = read_schedule(yaml, schedule, s);
    if (run.expect.recovered_within_s && run.schedule.empty())
      yaml.fail(node["expect"]["recovered_within_s"], "'recovered_within_s' needs a 'schedule' (recovered after its last step)");
    if (!names.insert(run.name).second) yaml.fail(node["name"], "duplicate run name '" + run.name + "'");
    const auto& only = overrides.only;
    if (!only.empty() && std::find(only.begin(), only.end(), run.name) == only.end()) continue;
    if (std::find(labels.begin(), labels.end(), run.server) == labels.end())
      yaml.fail(node["server"], "run '" + run.name + "' names server '" + run.server + "', which this scenario " +
                                    (s.external() ? "has no endpoint for" : "does not start") +
                                    " (known: " + join(labels) + ")");
    s.runs.push_back(std::move(run));
  }
  for (const auto& name : overrides.only)
    if (!names.contains(name))
      throw std::invalid_argument("--only " + name + ": the scenario has no run of that name");
  return s;
}

Scenario load_scenario(const std::string& path, const ScenarioOverrides& overrides) {
  return parse_scenario(YamlReader(path), overrides);
}

std::pair<std::string, std::string> parse_endpoint_option(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || text.compare(eq + 1, 7, "http://") != 0)
    throw std::invalid_argument("--endpoint must be LABEL=http://HOST:PORT/PATH, not '" + text + "'");
  return {text.substr(0, eq), text.substr(eq + 1)};
}

}  // namespace platespin::bench
