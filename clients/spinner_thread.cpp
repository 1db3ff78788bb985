// The talk's first demo with a thread: a spinner turns while the main thread
// waits for a slow function; a flag tells the spinner thread to stop.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <thread>

#include "spinner_cli.hpp"

namespace {

// Draws |/-\ beside `message` until `go` turns false, then erases the line.
void spin(const std::string& message, const std::atomic<bool>& go) {
  static constexpr char kBars[] = "|/-\\";
  std::string status;
  for (std::size_t i = 0;; ++i) {
    status = std::string(1, kBars[i % 4]) + " " + message;
    std::printf("%s%s", status.c_str(), std::string(status.size(), '\b').c_str());
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the demo's pace, not synchronisation
    if (!go) break;
  }
  std::printf("%s%s", std::string(status.size(), ' ').c_str(), std::string(status.size(), '\b').c_str());
}

// Pretend to wait a long time for I/O: the thread blocks, the spinner turns.
int slow_function(double seconds) {
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  return 42;
}

int supervisor(double seconds) {
  std::atomic<bool> go{true};
  std::thread spinner(spin, "thinking!", std::cref(go));
  std::ostringstream id;
  id << spinner.get_id();
  std::printf("spinner object: <std::thread id=%s running spin()>\n", id.str().c_str());
  std::fflush(stdout);
  const int result = slow_function(seconds);
  go = false;  // the only way to stop a thread: ask it, and wait
  spinner.join();
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  const auto seconds = platespin::spinner_seconds(
      argc, argv, "A spinner thread beside a slow function, stopped by a flag (the talk's spinner_thread.py).",
      "spinner_thread");
  if (const int* code = std::get_if<int>(&seconds)) return *code;
  const int result = supervisor(std::get<double>(seconds));
  std::printf("Answer: %d\n", result);
  return 0;
}
