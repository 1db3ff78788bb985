#include "fault.hpp"

#include <fmt/ranges.h>
#include <stdexcept>

namespace platespin::proxy {

const char* to_string(Stream stream) { return stream == Stream::upstream ? "upstream" : "downstream"; }

Stream stream_from_string(std::string_view text) {
  if (text == "upstream") return Stream::upstream;
  if (text == "downstream") return Stream::downstream;
  throw std::invalid_argument("stream must be upstream or downstream, not '" + std::string(text.substr(0, 60)) + "'");
}

const Fault* find_fault(Faults faults, std::string_view name) {
  for (const Fault* f : faults)
    if (f->name() == name) return f;
  return nullptr;
}

std::string fault_names(Faults faults, Protocol protocol) {
  std::vector<std::string_view> names;
  for (const Fault* f : faults)
    if (f->works_with(protocol)) names.push_back(f->name());
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace platespin::proxy
