#include "flag_files.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace platespin {

std::string metadata_file_name(const std::string& cc, const std::string& country) {
  const std::string prefix = cc + "-", suffix = ".gif";
  std::string middle;
  for (char c : country) {
    const auto byte = static_cast<unsigned char>(c);
    middle.push_back(c == ' ' || c == '/' || byte < 0x20 || byte == 0x7f ? '_' : c);
  }
  const std::size_t room = kMaxFileNameBytes - std::min(kMaxFileNameBytes, prefix.size() + suffix.size());
  if (middle.size() > room) {
    std::size_t cut = room;
    while (cut > 0 && (static_cast<unsigned char>(middle[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    middle.resize(cut);
  }
  return prefix + middle + suffix;
}

bool is_flag_picture(std::string_view body) {
  return body.substr(0, 6) == "GIF87a" || body.substr(0, 6) == "GIF89a";
}

void write_file_whole(const std::filesystem::path& path, const std::string& bytes) {
  // The pid and the thread keep concurrent writers of the same name apart (--repeat).
  const auto temp = std::filesystem::path(path).concat(
      ".tmp." + std::to_string(::getpid()) + "." + std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id())));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw std::runtime_error("cannot write " + temp.string() + ": " + std::strerror(errno));
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    throw std::runtime_error("cannot write " + path.string() + ": " + ec.message());
  }
}

}  // namespace platespin
