// chaos_proxy's YAML reader (proxy/config/proxy_config.hpp) on any text: it
// returns a configuration or throws ConfigError (FILE:LINE:COL: what), with
// the addresses required (chaos_proxy --config) and not (flagbench's proxy:).
// yaml-cpp guards its own recursion (DeepRecursion past 2,000 levels, a
// ParserException, so a ConfigError too); scripts/fuzz caps inputs at 4 KiB.
#include <cstddef>
#include <cstdint>
#include <string>

#include "proxy_config.hpp"
#include "yaml_reader.hpp"

using platespin::ConfigError;
using platespin::YamlReader;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const bool require_addresses : {true, false}) {
    try {
      const YamlReader yaml("fuzz.yaml", text);
      platespin::proxy::read_proxy_config(yaml, yaml.root(), require_addresses);
    } catch (const ConfigError&) {
    }
  }
  return 0;
}
