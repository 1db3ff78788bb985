// abort: resets the connection (RST, SO_LINGER 0), as a crashed peer would.
#include "behavior.hpp"

namespace platespin::proxy {

namespace {

class Abort final : public Behavior {
 public:
  std::string_view name() const override { return "abort"; }
  bool works_with(Protocol) const override { return true; }
  void shape(Fate& fate, const BehaviorParams&, std::uint64_t) const override {
    fate.behavior = name();
    fate.cut = Fate::Cut::abort;
  }
};

}  // namespace

const Behavior& abort_behavior() {
  static const Abort behavior;
  return behavior;
}

}  // namespace platespin::proxy
