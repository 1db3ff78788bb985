// hang: reads the request and never answers; the connection is held until the client gives up.
#include "behavior.hpp"

namespace platespin::proxy {

namespace {

class Hang final : public Behavior {
 public:
  std::string_view name() const override { return "hang"; }
  bool works_with(Protocol) const override { return true; }
  void shape(Fate& fate, const BehaviorParams&, std::uint64_t) const override {
    fate.behavior = name();
    fate.cut = Fate::Cut::hang;
  }
};

}  // namespace

const Behavior& hang_behavior() {
  static const Hang behavior;
  return behavior;
}

}  // namespace platespin::proxy
