#include "flag_files.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace platespin {

std::string metadata_file_name(const std::string& cc, const std::string& country) {
  std::string name = cc + "-";
  // The name comes from the server's metadata.json: a '/' would leave the
  // destination folder, and a NUL would end the path early (the flag saved as "XX-A").
  for (char c : country) name.push_back(c == ' ' || c == '/' || c == '\0' ? '_' : c);
  return name + ".gif";
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
