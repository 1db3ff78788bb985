// limit_data: closes the connection after so many bytes in its stream (HTTP: body bytes of the request or the response)
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Toxic final : public Fault {
 public:
  std::string_view name() const override { return "limit_data"; }
  std::string_view help() const override { return "closes the connection after so many bytes in its stream (HTTP: body bytes of the request or the response)"; }
  Parameters parameters() const override {
    static const Parameter declared[] = {
        {"bytes", Kind::whole, 0, 0, 1e15, "bytes", "bytes passed before the close"},
    };
    return declared;
  }
  void shape_http(HttpFate& fate, const Values& values, Stream stream, std::uint64_t) const override {
    body_pacing(fate, stream).cap(values.whole("bytes"));
  }
  void shape_tcp(TcpFate& fate, const Values& values, Stream stream, std::uint64_t) const override {
    direction(fate, stream).pacing.cap(values.whole("bytes"));
  }
};

}  // namespace

const Fault& limit_data_toxic() {
  static const Toxic fault;
  return fault;
}

}  // namespace platespin::proxy
