// flagbench's scenario reader (bench/flagbench/scenario.hpp) on any text: a
// Scenario or a ConfigError (FILE:LINE:COL: what), never anything else; the
// `proxy:` section goes through chaos_proxy's reader too. (std::invalid_argument
// is only for an --only naming no run, and there are no overrides here.)
// A scenario that reads must give chaos_proxy a config file it reads too:
// flagbench writes it from the `proxy:` section (proxy_config_yaml).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_check.hpp"
#include "proxy_config.hpp"
#include "proxy_listeners.hpp"
#include "scenario.hpp"
#include "yaml_reader.hpp"

using platespin::ConfigError;
using platespin::YamlReader;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  platespin::bench::Scenario scenario;
  try {
    const YamlReader yaml("fuzz.yaml", text);
    scenario = platespin::bench::parse_scenario(yaml);
  } catch (const ConfigError&) {
    return 0;
  }
  if (scenario.external() || scenario.listeners.empty()) return 0;  // flagbench starts no proxy
  const std::string config = platespin::bench::proxy_config_yaml(scenario.proxy, {"127.0.0.1", 8001});
  try {
    const YamlReader yaml("proxy.yaml", config);
    const auto proxy = platespin::proxy::read_proxy_config(yaml, yaml.root());
    PLATESPIN_FUZZ_CHECK(proxy.listeners.size() == scenario.listeners.size());
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "flagbench wrote a proxy config chaos_proxy refuses: %s\n%s", e.what(), config.c_str());
    std::abort();
  }
  return 0;
}
