#include "mime_types.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace platespin {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kTypes{{
    {"gif", "image/gif"},
    {"png", "image/png"},
    {"svg", "image/svg+xml"},
    {"json", "application/json"},
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"txt", "text/plain; charset=utf-8"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
}};

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

std::string_view mime_type_for(std::string_view path) {
  const auto name = path.substr(path.rfind('/') + 1);  // npos + 1 == 0: the whole path
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  const auto ext = name.substr(dot + 1);
  for (const auto& [known, type] : kTypes)
    if (equal_ignoring_case(ext, known)) return type;
  return "application/octet-stream";
}

}  // namespace platespin
