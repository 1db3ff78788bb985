// reset_peer: a TCP reset to both sides, timeout ms after the first data (HTTP: after the request; downstream: after the backend's answer)
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Toxic final : public Fault {
 public:
  std::string_view name() const override { return "reset_peer"; }
  std::string_view help() const override { return "a TCP reset to both sides, timeout ms after the first data (HTTP: after the request; downstream: after the backend's answer)"; }
  Parameters parameters() const override {
    static const Parameter declared[] = {
        {"timeout", Kind::whole, 0, 0, 3600000, "ms", "how long after the first data"},
    };
    return declared;
  }
  void shape_http(HttpFate& fate, const Values& values, Stream stream, std::uint64_t) const override {
    cut_http(fate, HttpFate::Cut::reset, millis(values, "timeout"), stream);
  }
  void shape_tcp(TcpFate& fate, const Values& values, Stream stream, std::uint64_t) const override {
    TcpStream& s = direction(fate, stream);
    s.reset = true;
    s.reset_after = millis(values, "timeout");
  }
};

}  // namespace

const Fault& reset_peer_toxic() {
  static const Toxic fault;
  return fault;
}

}  // namespace platespin::proxy
