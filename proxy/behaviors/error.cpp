// error: answers one of the error codes with a small HTML page; the backend is not called (HTTP only)
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Behavior final : public Fault {
 public:
  std::string_view name() const override { return "error"; }
  std::string_view help() const override { return "answers one of the error codes with a small HTML page; the backend is not called (HTTP only)"; }
  Parameters parameters() const override {
    static const Parameter declared[] = {
        {"error_codes", Kind::statuses, {500, 501, 502, 503}, 100, 599, "", "the statuses to pick from",
         "behavior-error-codes"},
    };
    return declared;
  }
  bool works_with(Protocol protocol) const override { return protocol == Protocol::http; }
  void shape_http(HttpFate& fate, const Values& values, Stream, std::uint64_t random) const override {
    fate.behavior = name();
    const auto& codes = values.at("error_codes");
    fate.status = codes[random % codes.size()].get<int>();
  }
};

}  // namespace

const Fault& error_behavior() {
  static const Behavior fault;
  return fault;
}

}  // namespace platespin::proxy
