#include "mime_types.hpp"

#include "ascii_case.hpp"

#include <array>
#include <fstream>
#include <sstream>
#include <utility>

namespace platespin {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kBuiltIn{{
    {"gif", "image/gif"},
    {"png", "image/png"},
    {"svg", "image/svg+xml"},
    {"json", "application/json"},
    {"html", "text/html"},
    {"htm", "text/html"},
    {"txt", "text/plain"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
}};

constexpr std::string_view kDefault = "application/octet-stream";

// Extensions longer than this are in no table (and need no allocation to look up).
constexpr std::size_t kLongestExtension = 32;

}  // namespace

MimeTypes::MimeTypes() {
  for (const auto& [extension, type] : kBuiltIn) add(extension, type);
}

void MimeTypes::add(std::string_view extension, std::string_view type) {
  std::string key = ascii_lower(std::string(extension));
  // Without a charset a browser guesses one for text; the files here are UTF-8 (or ASCII).
  std::string value(type);
  if (value.starts_with("text/")) value += "; charset=utf-8";
  by_extension_.insert_or_assign(std::move(key), std::move(value));
}

void MimeTypes::read(std::istream& mime_types) {
  std::string line;
  while (std::getline(mime_types, line)) {
    line.erase(std::min(line.find('#'), line.size()));
    std::istringstream words(line);
    std::string type, extension;
    if (!(words >> type)) continue;
    while (words >> extension)
      if (extension.size() <= kLongestExtension) add(extension, type);
  }
}

std::string_view MimeTypes::type_for(std::string_view path) const {
  const auto name = path.substr(path.rfind('/') + 1);  // npos + 1 == 0: the whole path
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return kDefault;
  const auto extension = name.substr(dot + 1);
  if (extension.empty() || extension.size() > kLongestExtension) return kDefault;
  std::array<char, kLongestExtension> lower{};
  for (std::size_t i = 0; i < extension.size(); ++i)
    lower[i] = ascii_lower(extension[i]);
  const auto it = by_extension_.find(std::string_view(lower.data(), extension.size()));
  return it == by_extension_.end() ? kDefault : std::string_view(it->second);
}

const MimeTypes& system_mime_types() {
  static const MimeTypes types = [] {
    MimeTypes t;
    if (std::ifstream file("/etc/mime.types"); file) t.read(file);
    return t;
  }();
  return types;
}

std::string_view mime_type_for(std::string_view path) { return system_mime_types().type_for(path); }

}  // namespace platespin
