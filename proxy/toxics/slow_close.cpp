// slow_close: waits before passing a close on: over HTTP, before closing the connection after the answer
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Toxic final : public Fault {
 public:
  std::string_view name() const override { return "slow_close"; }
  std::string_view help() const override { return "waits before passing a close on: over HTTP, before closing the connection after the answer"; }
  Parameters parameters() const override {
    static const Parameter declared[] = {
        {"delay", Kind::whole, 0, 0, 3600000, "ms", "how long to wait"},
    };
    return declared;
  }
  void shape_http(HttpFate& fate, const Values& values, Stream, std::uint64_t) const override {
    fate.close_delay += millis(values, "delay");
  }
  void shape_tcp(TcpFate& fate, const Values& values, Stream stream, std::uint64_t) const override {
    direction(fate, stream).close_delay += millis(values, "delay");
  }
};

}  // namespace

const Fault& slow_close_toxic() {
  static const Toxic fault;
  return fault;
}

}  // namespace platespin::proxy
