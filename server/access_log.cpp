#include "access_log.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <iterator>

namespace platespin {

void append_log_escaped(std::string& out, std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f || c == '"' || c == '\\') {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
}

std::string format_access_log_line(std::string_view remote_address, const ParsedRequest& request, int status,
                                   std::uint64_t body_bytes, std::time_t when) {
  std::tm tm{};
  gmtime_r(&when, &tm);
  std::array<char, 40> date{};
  const auto n = std::strftime(date.data(), date.size(), "%d/%b/%Y:%H:%M:%S +0000", &tm);
  std::string line;
  line.reserve(96 + request.method.size() + request.target.size());
  line.append(remote_address);
  line += " - - [";
  line.append(date.data(), n);
  line += "] \"";
  if (request.method.empty())
    line += '-';
  else
    append_log_escaped(line, request.method);
  line += ' ';
  if (request.target.empty())
    line += '-';
  else
    append_log_escaped(line, request.target);
  fmt::format_to(std::back_inserter(line), " HTTP/{}.{}\" {} {}\n", request.version / 10, request.version % 10, status,
                 body_bytes);
  return line;
}

void write_access_log(std::string_view remote_address, const ParsedRequest& request, int status,
                      std::uint64_t body_bytes) {
  const std::string line = format_access_log_line(remote_address, request, status, body_bytes, std::time(nullptr));
  // One fwrite per line: stdio's lock keeps lines from different threads whole.
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

}  // namespace platespin
