#include "cli.hpp"

#include <iostream>

namespace platespin {

void add_version_flag(CLI::App& app) { app.set_version_flag("--version", app.get_name() + " " PLATESPIN_VERSION); }

std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::cout << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::CallForVersion&) {
    std::cout << app.version() << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    return usage_error(app, e.what());
  }
  return std::nullopt;
}

int usage_error(const CLI::App& app, const std::string& what) {
  std::cerr << app.get_name() << ": error: " << what << " (try --help)\n";
  return 2;
}

}  // namespace platespin
