// abort: closes the connection with a TCP reset
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Behavior final : public Fault {
 public:
  std::string_view name() const override { return "abort"; }
  std::string_view help() const override { return "closes the connection with a TCP reset"; }
  void shape_http(HttpFate& fate, const Values&, Stream, std::uint64_t) const override {
    fate.behavior = name();
    fate.cut = HttpFate::Cut::reset;
  }
  void shape_tcp(TcpFate& fate, const Values&, Stream, std::uint64_t) const override {
    fate.behavior = name();
    fate.cut = TcpFate::Cut::reset;
  }
};

}  // namespace

const Fault& abort_behavior() {
  static const Behavior fault;
  return fault;
}

}  // namespace platespin::proxy
