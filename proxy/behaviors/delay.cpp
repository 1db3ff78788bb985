// delay: waits before calling the backend (or after its answer), give or take the jitter; over TCP, holds every chunk both ways
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Behavior final : public Fault {
 public:
  std::string_view name() const override { return "delay"; }
  std::string_view help() const override { return "waits before calling the backend (or after its answer), give or take the jitter; over TCP, holds every chunk both ways"; }
  Parameters parameters() const override {
    static const Parameter declared[] = {
        {"delay", Kind::number, 1.0, 0, 3600, "seconds", "how long to wait", "behavior-delay-sleep"},
        {"delay_before", Kind::flag, true, 0, 0, "", "wait before calling the backend (false: after its answer)",
         "behavior-delay-before"},
        {"jitter", Kind::number, 0.0, 0, 3600, "seconds", "give or take up to this much, uniformly", "jitter"},
    };
    return declared;
  }
  void shape_http(HttpFate& fate, const Values& values, Stream, std::uint64_t random) const override {
    fate.behavior = name();
    const Micros wait = give_or_take(seconds_to_micros(values.number("delay")),
                                     seconds_to_micros(values.number("jitter")), random);
    (values.flag("delay_before") ? fate.wait_before : fate.wait_after) += wait;
  }
  void shape_tcp(TcpFate& fate, const Values& values, Stream, std::uint64_t) const override {
    fate.behavior = name();
    for (TcpStream* stream : {&fate.upstream, &fate.downstream}) {
      stream->latency += seconds_to_micros(values.number("delay"));
      stream->jitter += seconds_to_micros(values.number("jitter"));
    }
  }
};

}  // namespace

const Fault& delay_behavior() {
  static const Behavior fault;
  return fault;
}

}  // namespace platespin::proxy
