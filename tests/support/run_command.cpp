#include "run_command.hpp"

#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "child_process.hpp"
#include "services.hpp"

namespace platespin::test {

std::optional<std::filesystem::path> find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream folders(path ? path : "/usr/local/bin:/usr/bin:/bin");
  // Debian keeps ip in /usr/sbin, which a non-root $PATH may lack.
  std::string folder;
  std::vector<std::string> candidates;
  while (std::getline(folders, folder, ':'))
    if (!folder.empty()) candidates.push_back(folder);
  candidates.insert(candidates.end(), {"/usr/sbin", "/sbin"});
  for (const auto& dir : candidates) {
    const auto candidate = std::filesystem::path(dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

CommandResult run_command(const std::string& program, const std::vector<std::string>& args,
                          const std::filesystem::path& dir, std::chrono::milliseconds timeout) {
  const auto exe = program.find('/') != std::string::npos ? std::optional<std::filesystem::path>(program)
                                                          : find_program(program);
  if (!exe) throw std::runtime_error(program + ": not found on $PATH");
  const auto err_file = temp_dir("cmd") / "stderr";
  CommandResult result;
  {
    ChildProcess child(*exe, args, ChildOptions{.err = ChildOutput::into(err_file), .working_dir = dir});
    result.out = child.read_rest(timeout);
    const ChildExit exit = child.wait(std::chrono::seconds(5));
    result.exit_code = exit.exit_code;
    result.signal = exit.signal;
  }
  result.err = read_file(err_file);
  std::filesystem::remove_all(err_file.parent_path());
  return result;
}

std::string command_text(const std::string& program, const std::vector<std::string>& args) {
  std::string text = program;
  for (const auto& arg : args) text += " " + arg;
  return text;
}

}  // namespace platespin::test
