// latency: holds the data: over HTTP the request (upstream) or the response (downstream) waits; over TCP every chunk
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Toxic final : public Fault {
 public:
  std::string_view name() const override { return "latency"; }
  std::string_view help() const override { return "holds the data: over HTTP the request (upstream) or the response (downstream) waits; over TCP every chunk"; }
  Parameters parameters() const override {
    static const Parameter declared[] = {
        {"latency", Kind::whole, 0, 0, 3600000, "ms", "how long"},
        {"jitter", Kind::whole, 0, 0, 3600000, "ms", "give or take up to this much, uniformly"},
    };
    return declared;
  }
  void shape_http(HttpFate& fate, const Values& values, Stream stream, std::uint64_t random) const override {
    const Micros wait = give_or_take(millis(values, "latency"), millis(values, "jitter"), random);
    (stream == Stream::upstream ? fate.wait_before : fate.wait_after) += wait;
  }
  void shape_tcp(TcpFate& fate, const Values& values, Stream stream, std::uint64_t) const override {
    TcpStream& s = direction(fate, stream);
    s.latency += millis(values, "latency");
    s.jitter += millis(values, "jitter");
  }
};

}  // namespace

const Fault& latency_toxic() {
  static const Toxic fault;
  return fault;
}

}  // namespace platespin::proxy
