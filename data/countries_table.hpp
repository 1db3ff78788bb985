#pragma once
// data/countries.tsv: ISO 3166-1 code, English short name and ccTLD per country.
#include <filesystem>
#include <map>
#include <string>

namespace platespin {

struct Country {
  std::string iso_cc;   // "AD"
  std::string name;     // "Andorra"
  std::string tld_cc;   // ".ad"
};

// Reads the table (tab-separated, '#' starts a comment line), keyed by code.
// Throws std::runtime_error naming the file and line of a malformed row.
std::map<std::string, Country> read_countries_table(const std::filesystem::path& path);

}  // namespace platespin
