// blackout: closes the connection at once, without a response (Vaurien's blackout).
#include "behavior.hpp"

namespace platespin::proxy {

namespace {

class Blackout final : public Behavior {
 public:
  std::string_view name() const override { return "blackout"; }
  bool works_with(Protocol) const override { return true; }
  void shape(Fate& fate, const BehaviorParams&, std::uint64_t) const override {
    fate.behavior = name();
    fate.cut = Fate::Cut::blackout;
  }
};

}  // namespace

const Behavior& blackout_behavior() {
  static const Blackout behavior;
  return behavior;
}

}  // namespace platespin::proxy
