// bandwidth: throttles the response (over TCP, both ways) to so many bytes per second
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Behavior final : public Fault {
 public:
  std::string_view name() const override { return "bandwidth"; }
  std::string_view help() const override { return "throttles the response (over TCP, both ways) to so many bytes per second"; }
  Parameters parameters() const override {
    static const Parameter declared[] = {
        {"bandwidth", Kind::whole, 10240, 1, 1e12, "bytes/s", "the rate", "behavior-bandwidth"},
    };
    return declared;
  }
  void shape_http(HttpFate& fate, const Values& values, Stream, std::uint64_t) const override {
    fate.behavior = name();
    fate.response.throttle(values.whole("bandwidth"));
  }
  void shape_tcp(TcpFate& fate, const Values& values, Stream, std::uint64_t) const override {
    fate.behavior = name();
    fate.upstream.pacing.throttle(values.whole("bandwidth"));
    fate.downstream.pacing.throttle(values.whole("bandwidth"));
  }
};

}  // namespace

const Fault& bandwidth_behavior() {
  static const Behavior fault;
  return fault;
}

}  // namespace platespin::proxy
