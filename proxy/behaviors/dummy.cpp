// dummy: passes the request through untouched (the named form of 'the rest').
#include "behavior.hpp"

namespace platespin::proxy {

namespace {

class Dummy final : public Behavior {
 public:
  std::string_view name() const override { return "dummy"; }
  bool works_with(Protocol) const override { return true; }
  void shape(Fate& fate, const BehaviorParams&, std::uint64_t) const override {
    fate.behavior = name();
  }
};

}  // namespace

const Behavior& dummy_behavior() {
  static const Dummy behavior;
  return behavior;
}

}  // namespace platespin::proxy
