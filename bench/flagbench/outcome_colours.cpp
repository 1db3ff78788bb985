#include "outcome_colours.hpp"

#include <array>
#include <functional>
#include <map>

namespace platespin::bench {

namespace {

// Successes cool (green, grey); errors warm, the HTTP ones in oranges and
// the connection's in reds and purples (download_one.hpp lists the kinds).
const std::map<std::string, std::string>& known_error_colours() {
  static const std::map<std::string, std::string> colours = {
      {"http_500", "#e6550d"}, {"http_501", "#fd8d3c"}, {"http_502", "#a63603"}, {"http_503", "#fdae6b"},
      {"timeout", "#d62728"},  {"refused", "#7b3294"},  {"reset", "#c51b7d"},    {"truncated", "#e7298a"},
      {"protocol", "#8c510a"}, {"content", "#bf812d"},  {"save", "#543005"}};
  return colours;
}

// For a kind not listed above: a colour picked by the kind's name, so that
// it is the same in every cell and every run.
constexpr std::array<const char*, 6> kOtherErrorColours = {"#b2182b", "#762a83", "#d6604d", "#9e0142", "#f46d43",
                                                          "#5e3c99"};

}  // namespace

OutcomeStyle outcome_style(const ItemResult& item) {
  switch (item.outcome) {
    case Outcome::ok: return {"ok", "#2e8b57"};
    case Outcome::not_found: return {"404", "#9aa5b1"};
    case Outcome::error: break;
  }
  const std::string kind = item.error_kind.empty() ? "error" : item.error_kind;
  const auto it = known_error_colours().find(kind);
  if (it != known_error_colours().end()) return {kind, it->second};
  return {kind, kOtherErrorColours[std::hash<std::string>{}(kind) % kOtherErrorColours.size()]};
}

}  // namespace platespin::bench
