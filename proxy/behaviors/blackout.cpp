// blackout: closes the connection at once, no answer
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Behavior final : public Fault {
 public:
  std::string_view name() const override { return "blackout"; }
  std::string_view help() const override { return "closes the connection at once, no answer"; }
  void shape_http(HttpFate& fate, const Values&, Stream, std::uint64_t) const override {
    fate.behavior = name();
    fate.cut = HttpFate::Cut::blackout;
  }
  void shape_tcp(TcpFate& fate, const Values&, Stream, std::uint64_t) const override {
    fate.behavior = name();
    fate.cut = TcpFate::Cut::blackout;
  }
};

}  // namespace

const Fault& blackout_behavior() {
  static const Behavior fault;
  return fault;
}

}  // namespace platespin::proxy
