// delay: waits before the backend call (or after its answer), plus or minus the jitter; over TCP, before every chunk.
#include <algorithm>

#include "behavior.hpp"

namespace platespin::proxy {

namespace {

class Delay final : public Behavior {
 public:
  std::string_view name() const override { return "delay"; }
  bool works_with(Protocol) const override { return true; }
  void shape(Fate& fate, const BehaviorParams& params, std::uint64_t random) const override {
    fate.behavior = name();
    // The top 53 bits as a uniform number in [0, 1): where in the jitter range this one lands.
    const double unit = static_cast<double>(random >> 11) * 0x1.0p-53;
    const double seconds = std::max(0.0, params.delay_s + params.jitter_s * (2 * unit - 1));
    const Micros wait = seconds_to_micros(seconds);
    if (params.delay_before)
      fate.delay_before = wait;
    else
      fate.delay_after = wait;
    fate.chunk_delay = wait;
  }
};

}  // namespace

const Behavior& delay_behavior() {
  static const Delay behavior;
  return behavior;
}

}  // namespace platespin::proxy
