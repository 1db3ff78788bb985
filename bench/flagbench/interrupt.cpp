#include "interrupt.hpp"

#include <signal.h>

#include <atomic>

namespace platespin::bench {

namespace {
std::atomic<int> g_signal{0};
extern "C" void on_signal(int signo) { g_signal.store(signo); }
}  // namespace

void install_interrupt_handlers() {
  struct sigaction action{};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool interrupted() { return g_signal.load() != 0; }
int interrupt_signal() { return g_signal.load(); }

}  // namespace platespin::bench
