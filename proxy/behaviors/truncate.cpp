// truncate: sends the response headers and part of the body, then closes (HTTP only).
#include "behavior.hpp"

namespace platespin::proxy {

namespace {

class Truncate final : public Behavior {
 public:
  std::string_view name() const override { return "truncate"; }
  bool works_with(Protocol protocol) const override { return protocol == Protocol::http; }
  void shape(Fate& fate, const BehaviorParams& params, std::uint64_t) const override {
    fate.behavior = name();
    fate.cut = Fate::Cut::truncate;
    fate.truncate_bytes = params.truncate_bytes;
  }
};

}  // namespace

const Behavior& truncate_behavior() {
  static const Truncate behavior;
  return behavior;
}

}  // namespace platespin::proxy
