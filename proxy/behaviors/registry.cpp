#include <array>

#include "behavior.hpp"

namespace platespin::proxy {

// Each behaviors/*.cpp defines one of these.
const Behavior& dummy_behavior();
const Behavior& delay_behavior();
const Behavior& error_behavior();
const Behavior& hang_behavior();
const Behavior& blackout_behavior();
const Behavior& abort_behavior();
const Behavior& bandwidth_behavior();
const Behavior& truncate_behavior();
const Behavior& slicer_behavior();

namespace {

const std::array<const Behavior*, 9>& all_behaviors() {
  static const std::array<const Behavior*, 9> all{&dummy_behavior(),     &delay_behavior(),    &error_behavior(),
                                                  &hang_behavior(),      &blackout_behavior(), &abort_behavior(),
                                                  &bandwidth_behavior(), &truncate_behavior(), &slicer_behavior()};
  return all;
}

}  // namespace

const Behavior* find_behavior(std::string_view name) {
  for (const Behavior* b : all_behaviors())
    if (b->name() == name) return b;
  return nullptr;
}

std::string behavior_names(Protocol protocol) {
  std::string out;
  for (const Behavior* b : all_behaviors())
    if (b->works_with(protocol)) out.append(out.empty() ? "" : ", ").append(b->name());
  return out;
}

}  // namespace platespin::proxy
