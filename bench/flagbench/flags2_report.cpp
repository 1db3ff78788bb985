#include "flags2_report.hpp"

#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace platespin::bench {

ClientResult parse_flags2_report(const std::string& stdout_text, const std::string& client) {
  static const std::regex downloaded(R"(^(\d+) flags? downloaded\.$)"), not_found(R"(^(\d+) not found\.$)"),
      errors(R"(^(\d+) errors?\.$)"), elapsed(R"(^Elapsed time: ([0-9]+(?:\.[0-9]+)?) ?s$)");
  std::optional<std::size_t> ok;
  std::optional<double> seconds;
  ClientResult r;
  r.client = client;
  std::istringstream in(stdout_text);
  // tqdm draws its bar with carriage returns: a report line is what follows the last one.
  for (std::string line; std::getline(in, line);) {
    if (const auto cr = line.rfind('\r'); cr != std::string::npos) line.erase(0, cr + 1);
    std::smatch m;
    if (std::regex_match(line, m, downloaded)) ok = std::stoull(m[1].str());
    else if (std::regex_match(line, m, not_found)) r.not_found = std::stoull(m[1].str());
    else if (std::regex_match(line, m, errors)) r.error = std::stoull(m[1].str());
    else if (std::regex_match(line, m, elapsed)) seconds = std::stod(m[1].str());
  }
  if (!ok) throw std::invalid_argument("no 'N flags downloaded.' line in its output (the book's final report)");
  if (!seconds) throw std::invalid_argument("no 'Elapsed time: X s' line in its output (the book's final report)");
  r.ok = *ok;
  r.requested = r.ok + r.not_found + r.error;
  r.elapsed_s = *seconds;
  r.items_per_s = r.elapsed_s > 0 ? static_cast<double>(r.requested) / r.elapsed_s : 0;
  return r;
}

}  // namespace platespin::bench
