// http_header: sets and removes header fields of the request (upstream) or the response (downstream) (HTTP only)
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Toxic final : public Fault {
 public:
  std::string_view name() const override { return "http_header"; }
  std::string_view help() const override { return "sets and removes header fields of the request (upstream) or the response (downstream) (HTTP only)"; }
  Parameters parameters() const override {
    static const Parameter declared[] = {
        {"set", Kind::fields, nlohmann::json::object(), 0, 0, "", "fields to set (replacing any of the same name)"},
        {"remove", Kind::names, nlohmann::json::array(), 0, 0, "", "fields to remove"},
    };
    return declared;
  }
  bool works_with(Protocol protocol) const override { return protocol == Protocol::http; }
  void shape_http(HttpFate& fate, const Values& values, Stream stream, std::uint64_t) const override {
    HeaderEdits& edits = stream == Stream::upstream ? fate.request_headers : fate.response_headers;
    for (const auto& name : values.at("remove")) edits.remove.push_back(name.get<std::string>());
    for (const auto& [name, value] : values.at("set").items()) edits.set.emplace_back(name, value.get<std::string>());
  }
};

}  // namespace

const Fault& http_header_toxic() {
  static const Toxic fault;
  return fault;
}

}  // namespace platespin::proxy
