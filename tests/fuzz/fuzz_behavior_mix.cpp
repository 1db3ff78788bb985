// Vaurien's behavior strings and listener names (proxy/config/proxy_config.hpp),
// which the command line, the YAML and the control API all take: the first
// byte picks the protocol, the rest is the text. A mix that parses has known
// behaviors for that protocol, shares of 0 to 100 summing to at most 100, and
// reads back the same from its own to_string(); anything else is
// std::invalid_argument.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "fault.hpp"
#include "fuzz_check.hpp"
#include "proxy_config.hpp"

using namespace platespin::proxy;

namespace {

bool same(const BehaviorMix& a, const BehaviorMix& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].name != b[i].name || a[i].percent != b[i].percent) return false;
  return true;
}

bool allowed_in_name(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == ':' || c == '-';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Protocol protocol = data[0] & 1 ? Protocol::tcp : Protocol::http;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  try {
    const BehaviorMix mix = parse_behavior_mix(text, protocol);
    int total = 0;
    for (const auto& share : mix) {
      const Fault* behavior = find_fault(behaviors(), share.name);
      PLATESPIN_FUZZ_CHECK(behavior && behavior->works_with(protocol) && share.percent >= 0 && share.percent <= 100);
      total += share.percent;
    }
    PLATESPIN_FUZZ_CHECK(total <= 100);
    PLATESPIN_FUZZ_CHECK(same(parse_behavior_mix(to_string(mix), protocol), mix));
  } catch (const std::invalid_argument&) {
  }

  bool valid = !text.empty() && text.size() <= 100;
  for (const char c : text) valid = valid && allowed_in_name(c);
  try {
    validate_listener_name(text);
    PLATESPIN_FUZZ_CHECK(valid);
  } catch (const std::invalid_argument&) {
    PLATESPIN_FUZZ_CHECK(!valid);
  }
  return 0;
}
