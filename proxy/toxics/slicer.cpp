// slicer: splits the data into writes of about average_size bytes, give or take size_variation, delay microseconds apart (HTTP: the body)
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Toxic final : public Fault {
 public:
  std::string_view name() const override { return "slicer"; }
  std::string_view help() const override { return "splits the data into writes of about average_size bytes, give or take size_variation, delay microseconds apart (HTTP: the body)"; }
  Parameters parameters() const override {
    static const Parameter declared[] = {
        {"average_size", Kind::whole, 1024, 1, 1048576, "bytes", "bytes per write on average"},
        {"size_variation", Kind::whole, 0, 0, 1048575, "bytes", "give or take up to this many (less than average_size)"},
        {"delay", Kind::whole, 0, 0, 60000000, "microseconds", "the pause between writes"},
    };
    return declared;
  }
  void check(const Values& values) const override {
    if (values.whole("size_variation") >= values.whole("average_size"))
      throw std::invalid_argument("'size_variation' must be less than 'average_size' (" +
                                  std::to_string(values.whole("average_size")) + "), not " +
                                  std::to_string(values.whole("size_variation")));
  }
  void shape_http(HttpFate& fate, const Values& values, Stream stream, std::uint64_t) const override {
    slice(body_pacing(fate, stream), values);
  }
  void shape_tcp(TcpFate& fate, const Values& values, Stream stream, std::uint64_t) const override {
    slice(direction(fate, stream).pacing, values);
  }

 private:
  static void slice(Pacing& pacing, const Values& values) {
    pacing.slice(values.whole("average_size"), values.whole("size_variation"), Micros(values.whole("delay")));
  }
};

}  // namespace

const Fault& slicer_toxic() {
  static const Toxic fault;
  return fault;
}

}  // namespace platespin::proxy
