#pragma once
// A child process of ours (a server, a proxy, a client) that flagbench and the
// integration tests start, wait for, and always reap: no orphans, ever.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "endpoint.hpp"

namespace platespin {

struct ChildExit {
  int exit_code = -1;    // the code passed to exit(), or -1 when killed by a signal
  int signal = 0;        // the signal that ended it, 0 if none
  double cpu_s = 0;      // user + system time, from wait4's rusage
  long peak_rss_kb = 0;  // ru_maxrss
};

// Where one of the child's output streams goes.
struct ChildOutput {
  enum class To { ours, pipe, file };
  To to = To::ours;
  std::filesystem::path file{};

  static ChildOutput ours() { return {}; }                    // where this process's goes
  static ChildOutput pipe() { return {To::pipe}; }            // to us: read_line(), wait_listening(), read_rest()
  static ChildOutput into(std::filesystem::path path) { return {To::file, std::move(path)}; }  // a file, truncated
};

// ChildOptions{.out = ChildOutput::into(log), .working_dir = dir}
struct ChildOptions {
  ChildOutput out = ChildOutput::pipe();  // stdout
  ChildOutput err = ChildOutput::ours();  // stderr: ours or a file (nothing reads a pipe of it)
  std::filesystem::path working_dir{};    // empty: ours
  std::map<std::string, std::string> environment = {};  // set in the child's environment, over ours
};

class ChildProcess {
 public:
  // Starts `exe` with `args`. The child gets SIGKILL if this process dies first.
  // Throws std::runtime_error when it cannot be started.
  ChildProcess(const std::filesystem::path& exe, const std::vector<std::string>& args, ChildOptions options = {});
  ~ChildProcess();  // SIGKILL and reap if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const;

  // The next line of the child's stdout (without '\n'); throws std::runtime_error
  // on timeout or when stdout ends first.
  std::string read_line(std::chrono::milliseconds timeout);

  // Reads stdout lines until `count` lines "listening on HOST:PORT[ (NAME)]" came,
  // and returns their addresses in order. Lines before them are skipped.
  std::vector<Endpoint> wait_listening(std::size_t count = 1,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(20));

  // Everything the child writes to stdout until it closes it (or the timeout passes).
  std::string read_rest(std::chrono::milliseconds timeout);

  void signal(int signo);

  // Waits for the exit; after `timeout` sends SIGKILL and waits for that.
  ChildExit wait(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // Waits (without polling: the kernel says when) until the child exits, then
  // reaps it; false when `timeout` passed first or `wake_fd` became readable.
  bool await_exit(std::chrono::milliseconds timeout, int wake_fd = -1);
  bool running();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};


}  // namespace platespin
