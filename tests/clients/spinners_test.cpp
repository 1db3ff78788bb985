// The talk's two spinners: both stop their spinner and print the answer.
#include <gtest/gtest.h>

#include "client_run.hpp"
#include "services.hpp"

using namespace platespin::test;

TEST(Spinners, ThreadAndCoroutineBothAnswer42AndEraseTheSpinner) {
  const auto work = temp_dir("spinners");
  for (const std::string name : {"spinner_thread", "spinner_async"}) {
    const auto run = run_client(name, {"--seconds", "0.35"}, work, false, 30);
    EXPECT_EQ(run.exit_code, 0) << name << run.err;
    EXPECT_NE(run.out.find("spinner object: <"), std::string::npos) << name;
    EXPECT_NE(run.out.find("| thinking!"), std::string::npos) << name;
    // The last spin erased itself (blanks, then backspaces) before the answer.
    EXPECT_NE(run.out.find("         \b\b\b\b\b\b\b\b\b\b\b" "Answer: 42\n"), std::string::npos) << name;
  }
  const auto bad = run_client("spinner_async", {"--seconds", "x"}, work, false, 30);
  EXPECT_EQ(bad.exit_code, 2);
  std::filesystem::remove_all(work);
}

TEST(Spinners, TheCoroutineSpinnerObjectIsPrintedBeforeItsFirstFrame) {
  const auto work = temp_dir("book-spinner");
  const auto run = run_client("spinner_async", {"--seconds", "0.25"}, work, false, 30);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  // The task runs only once the supervisor awaits: nothing comes before the print.
  EXPECT_EQ(run.out.rfind("spinner object: <", 0), 0u) << run.out;
  const auto printed = run.out.find('\n');
  EXPECT_LT(printed, run.out.find("| thinking!")) << run.out;
  std::filesystem::remove_all(work);
}
