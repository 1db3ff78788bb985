#include "services.hpp"

#include "ascii_case.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>

namespace platespin::test {

std::filesystem::path binary(const std::string& name) { return std::filesystem::path(PLATESPIN_BIN_DIR) / name; }

std::filesystem::path data_root() { return PLATESPIN_DATA_ROOT; }

std::filesystem::path book_flags_zip() {
  const std::filesystem::path zip = std::filesystem::path(PLATESPIN_SOURCE_DIR) / ".." / "shared" / "data" / "flags.zip";
  return std::filesystem::exists(zip) ? zip : std::filesystem::path{};
}

std::string Service::url(std::size_t i, const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port(i)) + path;
}

Service start_service(const std::string& name, const std::vector<std::string>& args, std::size_t listeners) {
  Service s;
  s.process = std::make_unique<ChildProcess>(binary(name), args);
  s.listening = s.process->wait_listening(listeners);
  return s;
}

Service start_flag_server(const std::vector<std::string>& extra) {
  std::vector<std::string> args{"--port", "0", "--root", data_root().string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return start_service("flag_server", args);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string flag_path(const std::string& cc) { return "/flags/" + ascii_lower(cc) + "/" + ascii_lower(cc) + ".gif"; }

std::filesystem::path temp_dir(const std::string& hint) {
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() /
             ("platespin-" + hint + "-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace platespin::test
