// truncate: sends the response header and part of the body (at most half), then closes (HTTP only)
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Behavior final : public Fault {
 public:
  std::string_view name() const override { return "truncate"; }
  std::string_view help() const override { return "sends the response header and part of the body (at most half), then closes (HTTP only)"; }
  Parameters parameters() const override {
    static const Parameter declared[] = {
        {"truncate_bytes", Kind::whole, 1024, 0, 1e15, "bytes", "body bytes sent at most", "behavior-truncate-bytes"},
    };
    return declared;
  }
  bool works_with(Protocol protocol) const override { return protocol == Protocol::http; }
  void shape_http(HttpFate& fate, const Values& values, Stream, std::uint64_t) const override {
    fate.behavior = name();
    fate.response.cap(values.whole("truncate_bytes"));
    fate.half_body_at_most = true;
  }
};

}  // namespace

const Fault& truncate_behavior() {
  static const Behavior fault;
  return fault;
}

}  // namespace platespin::proxy
