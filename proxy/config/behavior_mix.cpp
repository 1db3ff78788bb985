#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "behaviors/behavior.hpp"
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
    BehaviorShare share{std::string(term.substr(colon + 1)), 0};
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), share.percent);
    if (number.empty() || ec != std::errc{} || end != number.data() + number.size() || share.percent < 0 ||
        share.percent > 100)
      throw std::invalid_argument("bad percentage '" + std::string(number) + "' in behavior '" + std::string(term) +
                                  "' (expected 0 to 100)");
    const Behavior* behavior = find_behavior(share.name);
    if (!behavior)
      throw std::invalid_argument("unknown behavior '" + share.name + "' (known: " + behavior_names(protocol) + ")");
    if (!behavior->works_with(protocol))
      throw std::invalid_argument("behavior '" + share.name + "' does not work with protocol " + to_string(protocol) +
                                  " (known: " + behavior_names(protocol) + ")");
    total += share.percent;
    mix.push_back(std::move(share));
  }
  if (total > 100) throw std::invalid_argument("behavior percentages add up to " + std::to_string(total) + ", over 100");
  return mix;
}

void validate_listener_name(std::string_view name) {
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == ':' || c == '-';
  };
  if (name.empty() || name.size() > 100 || !std::all_of(name.begin(), name.end(), allowed))
    throw std::invalid_argument("a listener name is 1 to 100 of A-Z a-z 0-9 . _ : - (got '" +
                                std::string(name.substr(0, 100)) + "')");
}

std::string to_string(const BehaviorMix& mix) {
  std::string out;
  for (const auto& share : mix) {
    if (!out.empty()) out += ',';
    out.append(std::to_string(share.percent)).append(":").append(share.name);
  }
  return out;
}

void validate(const BehaviorParams& params) {
  const auto check = [](bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(what);
  };
  check(params.delay_s >= 0 && params.delay_s <= 3600, "delay must be 0 to 3600 seconds");
  check(params.jitter_s >= 0 && params.jitter_s <= 3600, "jitter must be 0 to 3600 seconds");
  check(!params.error_codes.empty(), "error codes must not be empty");
  for (int code : params.error_codes) check(code >= 100 && code <= 599, "error codes must be HTTP statuses (100 to 599)");
  check(params.bandwidth_bps > 0, "bandwidth must be at least 1 byte per second");
  check(params.slice_bytes > 0, "slice size must be at least 1 byte");
  check(params.slice_gap_s >= 0 && params.slice_gap_s <= 60, "slice gap must be 0 to 60 seconds");
}

}  // namespace platespin::proxy
