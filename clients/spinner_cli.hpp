#pragma once
// The two spinners' one command line: --seconds for the slow function (the
// talk's scripts took none: it was 3 s), --version and --help.
#include <string>
#include <variant>

#include "cli.hpp"

namespace platespin {

// The slow function's seconds, or the exit code when there is nothing to run
// (--help, --version, a bad option).
inline std::variant<double, int> spinner_seconds(int argc, char** argv, const std::string& description,
                                                 const std::string& name) {
  CLI::App app{description, name};
  add_version_flag(app);
  double seconds = 3;
  app.add_option("--seconds", seconds, "how long the slow function takes (default=3)")->check(CLI::Range(0.0, 3600.0));
  if (const auto code = parse_command_line(app, argc, argv)) return *code;
  return seconds;
}

}  // namespace platespin
