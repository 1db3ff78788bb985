// slicer: forwards the backend's bytes in small writes with pauses between them (TCP only).
#include "behavior.hpp"

namespace platespin::proxy {

namespace {

class Slicer final : public Behavior {
 public:
  std::string_view name() const override { return "slicer"; }
  bool works_with(Protocol protocol) const override { return protocol == Protocol::tcp; }
  void shape(Fate& fate, const BehaviorParams& params, std::uint64_t) const override {
    fate.behavior = name();
    fate.slice_bytes = params.slice_bytes;
    fate.slice_gap = seconds_to_micros(params.slice_gap_s);
  }
};

}  // namespace

const Behavior& slicer_behavior() {
  static const Slicer behavior;
  return behavior;
}

}  // namespace platespin::proxy
