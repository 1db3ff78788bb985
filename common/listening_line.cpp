#include "listening_line.hpp"

#include <cctype>
#include <cstdio>
#include <stdexcept>
#include <string_view>

namespace platespin {

void announce_listening(const std::string& host, std::uint16_t port, const std::string& name) {
  const std::string where = Endpoint{host, port}.to_string();
  if (name.empty())
    std::printf("listening on %s\n", where.c_str());
  else
    std::printf("listening on %s (%s)\n", where.c_str(), name.c_str());
  std::fflush(stdout);
}

bool parse_listening_line(const std::string& line, Endpoint& where, std::string& name) {
  constexpr std::string_view prefix = "listening on ";
  std::string_view rest = line;
  while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.back()))) rest.remove_suffix(1);
  if (!rest.starts_with(prefix)) return false;
  rest.remove_prefix(prefix.size());
  const auto space = rest.find(' ');
  std::string_view label;
  if (space != std::string_view::npos) {
    label = rest.substr(space + 1);
    if (label.size() < 2 || label.front() != '(' || label.back() != ')') return false;
    label = label.substr(1, label.size() - 2);
  }
  try {
    where = parse_endpoint(std::string(rest.substr(0, space)));
  } catch (const std::invalid_argument&) {
    return false;
  }
  name = std::string(label);
  return true;
}

}  // namespace platespin
