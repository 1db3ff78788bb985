#include "result_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "file_write.hpp"
#include "html_report.hpp"
#include "svg_chart.hpp"

namespace platespin::bench {

namespace {

// Tries this many stems before giving up: far more runs in one second than
// any machine makes.
constexpr int kMaxStems = 1000;

// Gives `temp` the name `path` unless a file has it; false when one has.
// link(2) takes the name exclusively; on a file system without hard links,
// an exclusive create reserves it and rename(2) fills it.
bool take_name(const std::filesystem::path& temp, const std::filesystem::path& path) {
  if (::link(temp.c_str(), path.c_str()) == 0) return true;
  if (errno == EEXIST) return false;
  if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS) throw std::system_error(errno, std::generic_category());
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) return false;
    throw std::system_error(errno, std::generic_category());
  }
  ::close(fd);
  std::filesystem::rename(temp, path);  // throws std::filesystem::filesystem_error
  return true;
}

}  // namespace

std::string result_json_text(const BenchResult& result) {
  return nlohmann::json(result).dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

ResultFiles write_result_files(const BenchResult& result, const std::filesystem::path& dir, const std::string& stem,
                               const std::string& svg_file) {
  // The pid keeps processes apart, the count the threads of one process.
  static std::atomic<unsigned> writes{0};
  const std::filesystem::path temp =
      dir / (stem + ".json.tmp." + std::to_string(::getpid()) + "." + std::to_string(writes++));
  write_file_whole(temp, result_json_text(result));  // whole before it gets its name
  ResultFiles files;
  for (int n = 1; n <= kMaxStems && files.json.empty(); ++n) {
    const std::string name = n == 1 ? stem : stem + "-" + std::to_string(n);
    const auto json = dir / (name + ".json");
    try {
      if (!take_name(temp, json)) continue;
    } catch (const std::exception& e) {
      std::error_code ignored;
      std::filesystem::remove(temp, ignored);
      throw std::runtime_error("cannot write " + json.string() + ": " + e.what());
    }
    files.json = json;
    files.svg = svg_file.empty() ? dir / (name + ".svg") : std::filesystem::path(svg_file);
    files.html = dir / (name + ".html");
  }
  std::error_code ignored;
  std::filesystem::remove(temp, ignored);
  if (files.json.empty())
    throw std::runtime_error("cannot write " + (dir / (stem + ".json")).string() + ": " + std::to_string(kMaxStems) +
                             " results of that name exist");
  write_file_whole(files.svg, svg_chart(result));
  write_file_whole(files.html, html_report(result));
  return files;
}

}  // namespace platespin::bench
