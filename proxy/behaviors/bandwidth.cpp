// bandwidth: throttles the response (TCP: both directions) to N bytes per second.
#include "behavior.hpp"

namespace platespin::proxy {

namespace {

class Bandwidth final : public Behavior {
 public:
  std::string_view name() const override { return "bandwidth"; }
  bool works_with(Protocol) const override { return true; }
  void shape(Fate& fate, const BehaviorParams& params, std::uint64_t) const override {
    fate.behavior = name();
    fate.bandwidth_bps = params.bandwidth_bps;
  }
};

}  // namespace

const Behavior& bandwidth_behavior() {
  static const Bandwidth behavior;
  return behavior;
}

}  // namespace platespin::proxy
