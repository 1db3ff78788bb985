#include "interrupt.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>

namespace platespin::bench {

namespace {
std::atomic<int> g_signal{0};
int g_pipe[2] = {-1, -1};  // written once by the handler, never drained: stays readable
extern "C" void on_signal(int signo) {
  g_signal.store(signo);
  if (g_pipe[1] >= 0) {
    const ssize_t written = ::write(g_pipe[1], "!", 1);  // async-signal-safe; a full pipe is already readable
    (void)written;
  }
}
}  // namespace

void install_interrupt_handlers() {
  if (g_pipe[0] < 0 && ::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) g_pipe[0] = g_pipe[1] = -1;
  struct sigaction action{};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool interrupted() { return g_signal.load() != 0; }
int interrupt_signal() { return g_signal.load(); }
int interrupt_fd() { return g_pipe[0]; }

}  // namespace platespin::bench
