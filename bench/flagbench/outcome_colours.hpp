#pragma once
// One colour per outcome on the page: ok, 404, and each error kind its own,
// the same in every timeline and legend so that a glance tells them apart.
#include <string>

#include "result.hpp"

namespace platespin::bench {

struct OutcomeStyle {
  std::string label;   // "ok", "404", or the error kind ("http_503", "timeout"...)
  std::string colour;  // "#rrggbb"
};

OutcomeStyle outcome_style(const ItemResult& item);

}  // namespace platespin::bench
