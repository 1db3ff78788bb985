#pragma once
// Running a program to its end (our binaries' command lines, and the system
// tools the deployment tests drive: docker-compose, ip, ldd, dpkg) and
// collecting what it printed, so a failure shows its words.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace platespin::test {

// `name` found in one of $PATH's folders, or nothing.
std::optional<std::filesystem::path> find_program(const std::string& name);

struct CommandResult {
  int exit_code = -1;  // -1 when killed (a timeout, a crash)
  int signal = 0;      // the signal that ended it, 0 if none
  std::string out;     // stdout
  std::string err;     // stderr
};

// Runs `program` (a path, or a name looked up on $PATH) with `args` in `dir`
// (empty: ours) and waits for it, killing it after `timeout`: stdout and
// stderr are collected, and nothing else of ours is in its way. Throws
// std::runtime_error when the program cannot be found or started.
CommandResult run_command(const std::string& program, const std::vector<std::string>& args,
                          const std::filesystem::path& dir = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(60));

// "program arg1 arg2 ..." for messages.
std::string command_text(const std::string& program, const std::vector<std::string>& args);

}  // namespace platespin::test
