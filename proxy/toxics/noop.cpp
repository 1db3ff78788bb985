// noop: nothing: the bytes pass untouched
#include "fault.hpp"

namespace platespin::proxy {

namespace {

class Toxic final : public Fault {
 public:
  std::string_view name() const override { return "noop"; }
  std::string_view help() const override { return "nothing: the bytes pass untouched"; }
};

}  // namespace

const Fault& noop_toxic() {
  static const Toxic fault;
  return fault;
}

}  // namespace platespin::proxy
