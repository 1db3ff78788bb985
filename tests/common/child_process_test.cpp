#include "child_process.hpp"

#include "listening_line.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <signal.h>
#include <unistd.h>

using namespace platespin;
using namespace std::chrono_literals;

TEST(ChildProcess, ReadsListeningLinesAndExitCode) {
  ChildProcess child("/bin/sh", {"-c", "echo hello; echo 'listening on 127.0.0.1:4242 (DELAY)'; exit 3"});
  const auto where = child.wait_listening(1, 10s);
  ASSERT_EQ(where.size(), 1u);
  EXPECT_EQ(where[0].port, 4242);
  const auto exit = child.wait(10s);
  EXPECT_EQ(exit.exit_code, 3);
  EXPECT_EQ(exit.signal, 0);
}

TEST(ChildProcess, MissingLineTimesOutAndKillReaps) {
  ChildProcess child("/bin/sh", {"-c", "exec sleep 30"});
  EXPECT_THROW(child.wait_listening(1, 200ms), std::runtime_error);
  child.signal(SIGTERM);
  const auto exit = child.wait(10s);
  EXPECT_EQ(exit.signal, SIGTERM);
  EXPECT_FALSE(child.running());
}

TEST(ChildProcess, ParsesListeningLine) {
  Endpoint where;
  std::string name;
  EXPECT_TRUE(parse_listening_line("listening on [::1]:80 (api)", where, name));
  EXPECT_EQ(where.host, "::1");
  EXPECT_EQ(name, "api");
  EXPECT_FALSE(parse_listening_line("listening at 1.2.3.4:5", where, name));
}

// The wait is the kernel's word, not a poll: a wake-up descriptor ends it
// early with the child still running, and the exit ends it at once.
TEST(ChildProcess, AwaitExitEndsOnTheExitOrOnAWakeUp) {
  ChildProcess child("/bin/sh", {"-c", "exec sleep 60"}, ChildOptions{.out = ChildOutput::ours()});
  int wake[2];
  ASSERT_EQ(::pipe(wake), 0);
  EXPECT_FALSE(child.await_exit(0ms));
  ASSERT_EQ(::write(wake[1], "x", 1), 1);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(child.await_exit(30s, wake[0]));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);  // at once, not at the timeout
  EXPECT_TRUE(child.running());
  ::close(wake[0]);
  ::close(wake[1]);
  child.signal(SIGTERM);
  const auto killed = std::chrono::steady_clock::now();
  EXPECT_TRUE(child.await_exit(30s));
  EXPECT_LT(std::chrono::steady_clock::now() - killed, 10s);
  EXPECT_EQ(child.wait(1s).signal, SIGTERM);
}

// A repeated run into the same files must not show the end of a longer earlier output.
TEST(ChildProcess, OutputFilesStartEmpty) {
  const auto dir = std::filesystem::temp_directory_path() / ("platespin-child-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto out = dir / "out", err = dir / "err";
  for (const auto& file : {out, err}) std::ofstream(file) << "an older and much longer output\n";
  ChildProcess child("/bin/sh", {"-c", "echo new; echo fresh >&2"},
                     ChildOptions{.out = ChildOutput::into(out), .err = ChildOutput::into(err)});
  EXPECT_EQ(child.wait(10s).exit_code, 0);
  const auto text = [](const std::filesystem::path& file) {
    std::ifstream in(file);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_EQ(text(out), "new\n");
  EXPECT_EQ(text(err), "fresh\n");
  std::filesystem::remove_all(dir);
}

TEST(ChildProcess, StderrCannotBeAPipe) {
  EXPECT_THROW(ChildProcess("/bin/true", {}, ChildOptions{.err = ChildOutput::pipe()}), std::invalid_argument);
}
