// hang: reads the request, never answers, holds the connection until the client leaves
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Behavior final : public Fault {
 public:
  std::string_view name() const override { return "hang"; }
  std::string_view help() const override { return "reads the request, never answers, holds the connection until the client leaves"; }
  void shape_http(HttpFate& fate, const Values&, Stream, std::uint64_t) const override {
    fate.behavior = name();
    fate.cut = HttpFate::Cut::hang;
  }
  void shape_tcp(TcpFate& fate, const Values&, Stream, std::uint64_t) const override {
    fate.behavior = name();
    fate.cut = TcpFate::Cut::hang;
  }
};

}  // namespace

const Fault& hang_behavior() {
  static const Behavior fault;
  return fault;
}

}  // namespace platespin::proxy
