#include "child_process.hpp"

#include "cpu_time.hpp"
#include "listening_line.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/readable_pipe.hpp>
// Boost.Process v2 in 1.81 forgets these includes of its own.
#include <boost/optional.hpp>
#include <boost/type_traits.hpp>
#include <boost/process/v2.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <string_view>
#include <stdexcept>

namespace platespin {

namespace asio = boost::asio;
namespace bp = boost::process::v2;

namespace {

// Runs in the child between fork and exec: it dies with its parent, so a
// crashed or killed flagbench leaves no server behind.
struct DieWithParent {
  template <typename Launcher>
  bp::error_code on_exec_setup(Launcher&, const bp::filesystem::path&, const char* const*) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    return {};
  }
};

// The child's environment, "NAME=VALUE" pointers that outlive the start
// (Boost.Process's own process_environment needs its compiled library).
struct Environment {
  std::vector<const char*> entries;  // null-terminated
  template <typename Launcher>
  bp::error_code on_setup(Launcher& launcher, const bp::filesystem::path&, const char* const*) {
    launcher.env = entries.data();
    return {};
  }
};

}  // namespace

struct ChildProcess::Impl {
  asio::io_context io;
  asio::readable_pipe out{io};
  std::string buffer;  // stdout read but not yet returned
  bool eof = false;
  std::optional<bp::process> process;
  int exit_fd = -1;  // a pidfd: readable once the child has exited
  std::optional<ChildExit> exit;

  ~Impl() {
    if (exit_fd >= 0) ::close(exit_fd);
  }

  // Runs one read of stdout into `buffer` with a deadline; false on timeout.
  template <typename Start>
  bool run_read(Start start, std::chrono::milliseconds timeout) {
    bool done = false;
    start([&](boost::system::error_code ec, std::size_t) {
      done = true;
      if (ec) eof = true;
    });
    io.restart();
    io.run_for(timeout);
    if (!done) {
      out.cancel();
      io.restart();
      io.run();
    }
    return done;
  }
};

ChildProcess::ChildProcess(const std::filesystem::path& exe, const std::vector<std::string>& args,
                           ChildOptions options)
    : impl_(std::make_unique<Impl>()) {
  if (!std::filesystem::exists(exe)) throw std::runtime_error("cannot start " + exe.string() + ": no such file");
  const bp::filesystem::path dir = options.working_dir.empty() ? std::filesystem::current_path() : options.working_dir;
  if (options.err.to == ChildOutput::To::pipe)
    throw std::invalid_argument("cannot start " + exe.string() + ": stderr goes to ours or a file, not a pipe");
  // Boost.Process opens an output file without O_TRUNC: a longer old file would show through.
  for (const ChildOutput* output : {&options.out, &options.err})
    if (output->to == ChildOutput::To::file && !std::ofstream(output->file, std::ios::trunc))
      throw std::runtime_error("cannot start " + exe.string() + ": cannot write " + output->file.string());
  // The child's environment, only when it differs from ours: "NAME=VALUE", ours with options.environment over it.
  std::vector<std::string> environment;
  if (!options.environment.empty()) {
    for (char** entry = environ; *entry; ++entry) {
      const std::string_view text = *entry;
      if (!options.environment.contains(std::string(text.substr(0, text.find('='))))) environment.emplace_back(text);
    }
    for (const auto& [name, value] : options.environment) environment.push_back(name + "=" + value);
  }
  // The stdio bindings own file descriptors and must be built in place, never copied.
  const auto launch = [&](auto&& out) {
    const auto start = [&](auto&&... env) {
      if (options.err.to == ChildOutput::To::ours)
        impl_->process.emplace(impl_->io, exe, args, bp::process_stdio{{}, out, {}}, bp::process_start_dir{dir},
                               DieWithParent{}, env...);
      else
        impl_->process.emplace(impl_->io, exe, args,
                               bp::process_stdio{{}, out, bp::filesystem::path(options.err.file)},
                               bp::process_start_dir{dir}, DieWithParent{}, env...);
    };
    if (environment.empty()) {
      start();
    } else {
      Environment env;
      for (const auto& entry : environment) env.entries.push_back(entry.c_str());
      env.entries.push_back(nullptr);
      start(env);
    }
  };
  try {
    switch (options.out.to) {
      case ChildOutput::To::file: launch(bp::filesystem::path(options.out.file)); break;
      case ChildOutput::To::pipe: launch(impl_->out); break;
      case ChildOutput::To::ours: launch(::fileno(stdout)); break;
    }
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error("cannot start " + exe.string() + ": " + e.code().message());
  }
  if (options.out.to != ChildOutput::To::pipe) impl_->eof = true;
  // glibc 2.36's <sys/pidfd.h> lacks extern "C": the system call itself.
  impl_->exit_fd = static_cast<int>(::syscall(SYS_pidfd_open, impl_->process->id(), 0));
  if (impl_->exit_fd < 0) {
    const int error = errno;
    impl_->process->terminate();
    throw std::runtime_error("cannot watch " + exe.string() + ": " + std::strerror(error));
  }
}

ChildProcess::~ChildProcess() {
  if (!impl_->exit) {
    signal(SIGKILL);
    wait(std::chrono::seconds(10));
  }
}

pid_t ChildProcess::pid() const { return impl_->process->id(); }

std::string ChildProcess::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (const auto nl = impl_->buffer.find('\n'); nl != std::string::npos) {
      std::string line = impl_->buffer.substr(0, nl);
      impl_->buffer.erase(0, nl + 1);
      return line;
    }
    if (impl_->eof) throw std::runtime_error("the child closed its stdout before printing a whole line");
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    const bool got = left.count() > 0 && impl_->run_read(
        [&](auto handler) { asio::async_read_until(impl_->out, asio::dynamic_buffer(impl_->buffer), '\n', handler); },
        left);
    if (!got) throw std::runtime_error("timed out waiting for a line from the child's stdout");
  }
}

std::vector<Endpoint> ChildProcess::wait_listening(std::size_t count, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<Endpoint> found;
  while (found.size() < count) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    std::string line;
    try {
      line = read_line(std::max(left, std::chrono::milliseconds(1)));
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(std::string("no 'listening on' line: ") + e.what());
    }
    Endpoint where;
    std::string name;
    if (parse_listening_line(line, where, name)) found.push_back(where);
  }
  return found;
}

std::string ChildProcess::read_rest(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!impl_->eof && std::chrono::steady_clock::now() < deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    impl_->run_read([&](auto handler) { asio::async_read(impl_->out, asio::dynamic_buffer(impl_->buffer), handler); },
                    left);
  }
  return std::exchange(impl_->buffer, {});
}

void ChildProcess::signal(int signo) {
  if (!impl_->exit) ::kill(pid(), signo);
}

bool ChildProcess::running() { return !await_exit(std::chrono::milliseconds(0)); }

bool ChildProcess::await_exit(std::chrono::milliseconds timeout, int wake_fd) {
  if (impl_->exit) return true;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  pollfd watched[2] = {{impl_->exit_fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    const int n = ::poll(watched, wake_fd >= 0 ? 2 : 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0)));
    if (n < 0 && errno == EINTR && wake_fd < 0) continue;  // a signal of ours; whoever cares gave a wake_fd
    if (n <= 0 || !(watched[0].revents & POLLIN)) return false;  // timeout, a wake-up or EINTR
    break;
  }
  int status = 0;
  rusage usage{};
  if (::wait4(pid(), &status, 0, &usage) != pid()) return false;
  ChildExit e;
  if (WIFEXITED(status)) e.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) e.signal = WTERMSIG(status);
  e.cpu_s = cpu_seconds(usage);
  e.peak_rss_kb = usage.ru_maxrss;
  impl_->exit = e;
  impl_->process->detach();  // reaped by us: the handle must not signal or wait again
  return true;
}

ChildExit ChildProcess::wait(std::chrono::milliseconds timeout) {
  if (!await_exit(timeout)) {
    ::kill(pid(), SIGKILL);
    await_exit(std::chrono::seconds(10));
  }
  return impl_->exit.value_or(ChildExit{});
}

}  // namespace platespin
