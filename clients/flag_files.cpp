#include "flag_files.hpp"

#include <algorithm>
#include <stdexcept>

namespace platespin {

std::string metadata_file_name(const std::string& cc, const std::string& country) {
  const std::string suffix = "-" + cc + ".gif";
  std::string middle;
  for (char c : country) {
    const auto byte = static_cast<unsigned char>(c);
    middle.push_back(c == ' ' || c == '/' || byte < 0x20 || byte == 0x7f ? '_' : c);
  }
  const std::size_t room = kMaxFileNameBytes - std::min(kMaxFileNameBytes, suffix.size());
  if (middle.size() > room) {
    std::size_t cut = room;
    while (cut > 0 && (static_cast<unsigned char>(middle[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    middle.resize(cut);
  }
  return middle + suffix;
}

bool is_flag_picture(std::string_view body) {
  return body.substr(0, 6) == "GIF87a" || body.substr(0, 6) == "GIF89a";
}


}  // namespace platespin
