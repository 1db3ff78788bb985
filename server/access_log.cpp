#include "access_log.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <ctime>

namespace platespin {

void write_access_log(std::string_view remote_address, const ParsedRequest& request, int status,
                      std::size_t body_bytes) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::array<char, 40> when{};
  const auto n = std::strftime(when.data(), when.size(), "%d/%b/%Y:%H:%M:%S +0000", &tm);
  const std::string line =
      fmt::format("{} - - [{}] \"{} {} HTTP/{}.{}\" {} {}\n", remote_address, std::string_view(when.data(), n),
                  request.method.empty() ? "-" : request.method, request.target.empty() ? "-" : request.target,
                  request.version / 10, request.version % 10, status, body_bytes);
  // One fwrite per line: stdio's lock keeps lines from different threads whole.
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

}  // namespace platespin
