#include "machine.hpp"

#include <sys/utsname.h>

#include <boost/version.hpp>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

namespace platespin::bench {

namespace {

#ifdef __clang__
constexpr const char* kCompiler = "clang " __VERSION__;
#else
constexpr const char* kCompiler = "g++ " __VERSION__;
#endif

// The value of the first "KEY: value" line of a /proc file that starts with `key`.
std::string proc_field(const char* file, const std::string& key) {
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(key, 0) == 0) {
      const auto colon = line.find(':');
      const auto start = line.find_first_not_of(" \t", colon + 1);
      return start == std::string::npos ? "" : line.substr(start);
    }
  return "";
}

}  // namespace

nlohmann::json machine_info() {
  utsname u{};
  uname(&u);
  std::string load;
  std::getline(std::ifstream("/proc/loadavg"), load);
  return {{"cores", std::thread::hardware_concurrency()},
          {"memory_kb", std::atoll(proc_field("/proc/meminfo", "MemTotal").c_str())},  // "24531234 kB"
          {"cpu", proc_field("/proc/cpuinfo", "model name")},
          {"kernel", std::string(u.sysname) + " " + u.release},
          {"hostname", u.nodename},
          {"load_average_at_start", load},
          {"compiler", kCompiler}};
}

nlohmann::json version_info() {
  return {{"platespin", PLATESPIN_VERSION},
          {"boost", BOOST_LIB_VERSION},
          {"nlohmann_json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                                std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                                std::to_string(NLOHMANN_JSON_VERSION_PATCH)}};
}

}  // namespace platespin::bench
