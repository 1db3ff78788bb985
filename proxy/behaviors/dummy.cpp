// dummy: passes everything through untouched
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Behavior final : public Fault {
 public:
  std::string_view name() const override { return "dummy"; }
  std::string_view help() const override { return "passes everything through untouched"; }
  void shape_http(HttpFate& fate, const Values&, Stream, std::uint64_t) const override { fate.behavior = name(); }
  void shape_tcp(TcpFate& fate, const Values&, Stream, std::uint64_t) const override { fate.behavior = name(); }
};

}  // namespace

const Fault& dummy_behavior() {
  static const Behavior fault;
  return fault;
}

}  // namespace platespin::proxy
