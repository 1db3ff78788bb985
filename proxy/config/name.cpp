#include "name.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace platespin::proxy {

void check_name(std::string_view name, std::string_view what) {
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == ':' || c == '-';
  };
  if (name.empty() || name.size() > 100 || !std::all_of(name.begin(), name.end(), allowed))
    throw std::invalid_argument("a " + std::string(what) + " name is 1 to 100 of A-Z a-z 0-9 . _ : - (got '" +
                                std::string(name.substr(0, 100)) + "')");
}

}  // namespace platespin::proxy
