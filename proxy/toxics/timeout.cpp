// timeout: no data gets through; the connection closes after timeout ms (0: never). Over HTTP no answer (downstream: the backend is called, its answer dropped)
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Toxic final : public Fault {
 public:
  std::string_view name() const override { return "timeout"; }
  std::string_view help() const override { return "no data gets through; the connection closes after timeout ms (0: never). Over HTTP no answer (downstream: the backend is called, its answer dropped)"; }
  Parameters parameters() const override {
    static const Parameter declared[] = {
        {"timeout", Kind::whole, 0, 0, 3600000, "ms", "when to close (0: never; HTTP: when the client leaves)"},
    };
    return declared;
  }
  void shape_http(HttpFate& fate, const Values& values, Stream stream, std::uint64_t) const override {
    cut_http(fate, HttpFate::Cut::hang, millis(values, "timeout"), stream);
  }
  void shape_tcp(TcpFate& fate, const Values& values, Stream stream, std::uint64_t) const override {
    TcpStream& s = direction(fate, stream);
    s.drop = true;
    s.drop_close_after = millis(values, "timeout");
  }
};

}  // namespace

const Fault& timeout_toxic() {
  static const Toxic fault;
  return fault;
}

}  // namespace platespin::proxy
