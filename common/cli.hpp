#pragma once
// The command-line conventions every binary shares (DESIGN.md): --help and
// --version exit 0, a usage error prints one line and exits 2.
#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace platespin {

// Adds --version to `app`.
void add_version_flag(CLI::App& app);

// Parses argv. Returns the exit code when the program should stop now (0 after
// --help/--version, 2 after a usage error, which it reports on stderr as
// "NAME: error: WHAT (try --help)"); std::nullopt to go on.
std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv);

// The same for arguments already split (in order, without the program name),
// reporting a usage error through `report` (which returns the exit code)
// instead: the downloaders print theirs as the book does.
std::optional<int> parse_command_line(CLI::App& app, std::vector<std::string> args,
                                      const std::function<int(const std::string&)>& report);

// Reports a usage error found after parsing (a bad combination of options) the same way; returns 2.
int usage_error(const CLI::App& app, const std::string& what);

}  // namespace platespin
