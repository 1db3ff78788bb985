#include "country_codes.hpp"

#include "ascii_case.hpp"

#include <sstream>
#include <stdexcept>

#include "country_codes_data.hpp"

namespace platespin {

const std::vector<std::string>& book_country_codes() {
  static const std::vector<std::string> codes = [] {
    std::vector<std::string> out;
    std::istringstream in{std::string{kCountryCodesText}};
    for (std::string code; in >> code;) out.push_back(code);
    return out;
  }();
  return codes;
}

std::vector<std::string> every_two_letter_code() {
  std::vector<std::string> out;
  for (char a = 'A'; a <= 'Z'; ++a)
    for (char b = 'A'; b <= 'Z'; ++b) out.push_back({a, b});
  return out;
}

std::vector<std::string> expand_code_arguments(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const auto& arg : args) {
    const std::string up = ascii_upper(arg);
    bool letters = !up.empty();
    for (char c : up) letters = letters && c >= 'A' && c <= 'Z';
    if (!letters || up.size() > 2)
      throw std::invalid_argument("each CC argument must be A to Z or AA to ZZ, not '" + arg + "'");
    if (up.size() == 2) {
      out.push_back(up);
    } else {
      for (char b = 'A'; b <= 'Z'; ++b) out.push_back({up[0], b});
    }
  }
  return out;
}

}  // namespace platespin
