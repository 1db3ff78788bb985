// error: answers a 5xx (one of the configured codes) with a small HTML body, like Vaurien; the backend is not called (HTTP only).
#include "behavior.hpp"

namespace platespin::proxy {

namespace {

class Error final : public Behavior {
 public:
  std::string_view name() const override { return "error"; }
  bool works_with(Protocol protocol) const override { return protocol == Protocol::http; }
  void shape(Fate& fate, const BehaviorParams& params, std::uint64_t random) const override {
    fate.behavior = name();
    fate.error_status = params.error_codes[random % params.error_codes.size()];
  }
};

}  // namespace

const Behavior& error_behavior() {
  static const Error behavior;
  return behavior;
}

}  // namespace platespin::proxy
