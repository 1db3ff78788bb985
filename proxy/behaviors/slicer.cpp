// slicer: forwards the backend's bytes in small writes with pauses between them (TCP only)
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Behavior final : public Fault {
 public:
  std::string_view name() const override { return "slicer"; }
  std::string_view help() const override {
    return "forwards the backend's bytes in small writes with pauses between them (TCP only)";
  }
  Parameters parameters() const override {
    static const Parameter declared[] = {
        {"slice_bytes", Kind::whole, 64, 1, 1048576, "bytes", "bytes per write", "behavior-slice-bytes"},
        {"slice_gap", Kind::number, 0.01, 0, 60, "seconds", "the pause between writes", "behavior-slice-gap"},
    };
    return declared;
  }
  bool works_with(Protocol protocol) const override { return protocol == Protocol::tcp; }
  void shape_tcp(TcpFate& fate, const Values& values, Stream, std::uint64_t) const override {
    fate.behavior = name();
    fate.downstream.pacing.slice(values.whole("slice_bytes"), 0, seconds_to_micros(values.number("slice_gap")));
  }
};

}  // namespace

const Fault& slicer_behavior() {
  static const Behavior fault;
  return fault;
}

}  // namespace platespin::proxy
