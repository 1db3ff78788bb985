#include <algorithm>
#include <stdexcept>

#include "fault.hpp"
#include "name.hpp"
#include "parse_number.hpp"
#include "proxy_config.hpp"

namespace platespin::proxy {

const char* to_string(Protocol protocol) { return protocol == Protocol::http ? "http" : "tcp"; }

Protocol protocol_from_string(const std::string& text) {
  if (text == "http") return Protocol::http;
  if (text == "tcp") return Protocol::tcp;
  throw std::invalid_argument("protocol must be http or tcp, not '" + text + "'");
}

BehaviorMix parse_behavior_mix(std::string_view text, Protocol protocol) {
  BehaviorMix mix;
  int total = 0;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view term = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (comma != std::string_view::npos && text.empty())
      throw std::invalid_argument("bad behavior list: nothing after the last ',' (expected PERCENT:NAME,...)");
    const auto colon = term.find(':');
    if (colon == std::string_view::npos)
      throw std::invalid_argument("bad behavior '" + std::string(term) + "' (expected PERCENT:NAME, like 25:error)");
    const std::string_view number = term.substr(0, colon);
    const auto percent = parse_number<int>(number);
    if (!percent || *percent < 0 || *percent > 100)
      throw std::invalid_argument("bad percentage '" + std::string(number) + "' in behavior '" + std::string(term) +
                                  "' (expected 0 to 100)");
    BehaviorShare share{std::string(term.substr(colon + 1)), *percent};
    share.behavior = find_fault(behaviors(), share.name);
    if (!share.behavior)
      throw std::invalid_argument("unknown behavior '" + share.name + "' (known: " +
                                  fault_names(behaviors(), protocol) + ")");
    if (!share.behavior->works_with(protocol))
      throw std::invalid_argument("behavior '" + share.name + "' does not work with protocol " + to_string(protocol) +
                                  " (known: " + fault_names(behaviors(), protocol) + ")");
    total += share.percent;
    mix.push_back(std::move(share));
  }
  if (total > 100) throw std::invalid_argument("behavior percentages add up to " + std::to_string(total) + ", over 100");
  return mix;
}

void validate_listener_name(std::string_view name) { check_name(name, "listener"); }

Parameters behavior_parameters() {
  static const std::vector<Parameter> all = [] {
    std::vector<Parameter> out;
    for (const Fault* b : behaviors()) out.insert(out.end(), b->parameters().begin(), b->parameters().end());
    return out;
  }();
  return all;
}

Values behavior_values(const nlohmann::json& given) { return Values(behavior_parameters(), given); }

std::string to_string(const BehaviorMix& mix) {
  std::string out;
  for (const auto& share : mix) {
    if (!out.empty()) out += ',';
    out.append(std::to_string(share.percent)).append(":").append(share.name);
  }
  return out;
}

}  // namespace platespin::proxy
