// http_error: answers one of the codes itself (with the body, or a small HTML page); the backend is not called (HTTP only)
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Toxic final : public Fault {
 public:
  std::string_view name() const override { return "http_error"; }
  std::string_view help() const override { return "answers one of the codes itself (with the body, or a small HTML page); the backend is not called (HTTP only)"; }
  Parameters parameters() const override {
    static const Parameter declared[] = {
        {"codes", Kind::statuses, {503}, 200, 599, "", "the statuses to pick from"},
        {"body", Kind::text, "", 0, 65536, "", "the body to send (empty: a small HTML page)"},
    };
    return declared;
  }
  bool works_with(Protocol protocol) const override { return protocol == Protocol::http; }
  void shape_http(HttpFate& fate, const Values& values, Stream, std::uint64_t random) const override {
    if (fate.status != 0) return;  // the first answer decided stays
    const auto& codes = values.at("codes");
    fate.status = codes[random % codes.size()].get<int>();
    fate.body = values.at("body").get<std::string>();
  }
};

}  // namespace

const Fault& http_error_toxic() {
  static const Toxic fault;
  return fault;
}

}  // namespace platespin::proxy
