// bandwidth: throttles the data to a rate in KB/s (1 KB = 1000 bytes): the request body (upstream) or the response body (downstream); over TCP the stream
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Toxic final : public Fault {
 public:
  std::string_view name() const override { return "bandwidth"; }
  std::string_view help() const override { return "throttles the data to a rate in KB/s (1 KB = 1000 bytes): the request body (upstream) or the response body (downstream); over TCP the stream"; }
  Parameters parameters() const override {
    static const Parameter declared[] = {
        {"rate", Kind::whole, 0, 0, 1e9, "KB/s", "the rate, 1 KB = 1000 bytes (0: no limit)"},
    };
    return declared;
  }
  void shape_http(HttpFate& fate, const Values& values, Stream stream, std::uint64_t) const override {
    if (const auto rate = values.whole("rate"); rate > 0)
      body_pacing(fate, stream).throttle(rate * 1000);
  }
  void shape_tcp(TcpFate& fate, const Values& values, Stream stream, std::uint64_t) const override {
    if (const auto rate = values.whole("rate"); rate > 0)
      direction(fate, stream).pacing.throttle(rate * 1000);
  }
};

}  // namespace

const Fault& bandwidth_toxic() {
  static const Toxic fault;
  return fault;
}

}  // namespace platespin::proxy
