// build_flag_data: writes the flag data set the server serves by default,
// OUT/flags/<cc>/<cc>.gif and OUT/flags/<cc>/metadata.json for the book's 194
// codes, in the form of the book's flags.zip. Run by the build (data/CMakeLists.txt).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "cli.hpp"
#include "ascii_case.hpp"
#include "countries_table.hpp"
#include "country_codes.hpp"
#include "drawn_flags.hpp"

namespace fs = std::filesystem;
using namespace platespin;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Whole or not at all (temp file + rename); an unchanged file is left alone so
// its mtime, and so the server's ETag and Last-Modified, stay put across builds.
void write_file(const fs::path& path, const std::string& bytes) {
  if (fs::exists(path) && read_file(path) == bytes) return;
  fs::create_directories(path.parent_path());
  const fs::path temp = path.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) throw std::runtime_error("cannot write " + temp.string());
  }
  fs::rename(temp, path);
}

// The book's key order and spacing: {"tld_cc": ".ad", "iso_cc": "AD", "country": "Andorra"}
std::string metadata_json(const Country& c) {
  using nlohmann::json;
  return "{\"tld_cc\": " + json(c.tld_cc).dump() + ", \"iso_cc\": " + json(c.iso_cc).dump() +
         ", \"country\": " + json(c.name).dump() + "}";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Writes the flag data set: OUT/flags/<cc>/<cc>.gif and metadata.json for the book's 194 codes",
               "build_flag_data"};
  add_version_flag(app);
  fs::path countries, pictures = "/usr/share/flags/countries/16x11", out;
  app.add_option("--countries", countries, "the countries table (data/countries.tsv)")->required();
  app.add_option("--pictures", pictures, "folder of <cc>.gif pictures (Debian's famfamfam-flag-gif)")
      ->capture_default_str();
  app.add_option("--out", out, "where to write flags/")->required();
  if (const auto code = parse_command_line(app, argc, argv)) return *code;

  try {
    const auto table = read_countries_table(countries);
    int drawn = 0;
    for (const auto& cc : book_country_codes()) {
      const auto row = table.find(cc);
      if (row == table.end()) throw std::runtime_error(countries.string() + " has no row for " + cc);
      const std::string name = ascii_lower(cc);
      const fs::path picture = pictures / (name + ".gif");
      std::string gif;
      if (fs::exists(picture)) {
        gif = read_file(picture);
      } else {
        gif = encode_gif(drawn_flag(cc));
        ++drawn;
      }
      const fs::path dir = out / "flags" / name;
      write_file(dir / (name + ".gif"), gif);
      write_file(dir / "metadata.json", metadata_json(row->second));
    }
    std::cout << "build_flag_data: " << book_country_codes().size() << " flags in " << (out / "flags").string()
              << " (" << drawn << " drawn here)\n";
  } catch (const std::exception& e) {
    std::cerr << "build_flag_data: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
