#include "cli.hpp"

#include <algorithm>
#include <iostream>

namespace platespin {

void add_version_flag(CLI::App& app) { app.set_version_flag("--version", app.get_name() + " " PLATESPIN_VERSION); }

std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv) {
  return parse_command_line(app, std::vector<std::string>(argv + std::min(argc, 1), argv + argc),
                            [&app](const std::string& what) { return usage_error(app, what); });
}

std::optional<int> parse_command_line(CLI::App& app, std::vector<std::string> args,
                                      const std::function<int(const std::string&)>& report) {
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first
  try {
    app.parse(args);
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
    return report(e.what());
  }
  return std::nullopt;
}

int usage_error(const CLI::App& app, const std::string& what) {
  std::cerr << app.get_name() << ": error: " << what << " (try --help)\n";
  return 2;
}

}  // namespace platespin
