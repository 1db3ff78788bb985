#pragma once
// SIGINT/SIGTERM end a flagbench run cleanly: the handler only raises a flag,
// the waiting loops see it, stop their children and unwind with Interrupted.
#include <stdexcept>

namespace platespin::bench {

struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted") {}
};

void install_interrupt_handlers();
bool interrupted();
int interrupt_signal();  // the signal that came, 0 if none
// Readable once a signal came (-1 before install_interrupt_handlers()): for poll().
int interrupt_fd();

}  // namespace platespin::bench
