#pragma once
// ASCII case, the same for every part: HTTP names, country codes, file
// extensions and labels are ASCII, and std::tolower's locale must not matter.
#include <string>
#include <string_view>

namespace platespin {

constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = ascii_lower(c);
  return out;
}

inline std::string ascii_upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = ascii_upper(c);
  return out;
}

}  // namespace platespin
