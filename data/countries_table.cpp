#include "countries_table.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace platespin {

std::map<std::string, Country> read_countries_table(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::map<std::string, Country> table;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line.front() == '#') continue;
    std::istringstream fields(line);
    Country c;
    std::getline(fields, c.iso_cc, '\t');
    std::getline(fields, c.name, '\t');
    std::getline(fields, c.tld_cc, '\t');
    const auto where = path.string() + ":" + std::to_string(number) + ": ";
    if (c.iso_cc.size() != 2 || c.name.empty() || c.tld_cc.size() < 2 || c.tld_cc.front() != '.')
      throw std::runtime_error(where + "expected CODE<TAB>NAME<TAB>.TLD");
    if (!table.emplace(c.iso_cc, c).second) throw std::runtime_error(where + "duplicate code " + c.iso_cc);
  }
  return table;
}

}  // namespace platespin
