// flags_async starts its workers eight per turn of the event loop. With a
// worker count that is a multiple of eight and a list that runs out before the
// last ones start, every worker could finish before the run waited for them,
// and the run then waited forever (-e --repeat 2 -m 1000 hung every time).
#include <gtest/gtest.h>

#include "client_run.hpp"

using namespace platespin;
using namespace platespin::test;

namespace {

class AsyncWorkers : public FlagServerSuite {
 protected:
  static std::string url() { return server_->url(0, "/flags"); }
};

}  // namespace

TEST_F(AsyncWorkers, EveryWorkerCountAroundEightFinishesWithEveryItem) {
  struct Case {
    std::vector<std::string> codes;
    std::size_t requested;
  };
  const std::vector<Case> cases{
      {{"-e", "--repeat", "2"}, 1352},            // more codes than workers; the list runs out early on LOCAL
      {{"-e", "-l", "4", "--repeat", "2"}, 8},    // as many codes as 8 workers
      {{"-e", "-l", "3", "--repeat", "2"}, 6},    // fewer codes than workers: the count is capped to 6
      {{"B", "--repeat", "2"}, 52}};
  for (const int m : {7, 8, 9, 16, 1000})
    for (const auto& c : cases) {
      std::vector<std::string> args{"-s", url(), "-m", std::to_string(m), "--no-save"};
      args.insert(args.end(), c.codes.begin(), c.codes.end());
      SCOPED_TRACE(::testing::Message() << "-m " << m << " " << c.codes[0] << " " << c.requested);
      // A hang is killed after 60 s (exit code -1); a run takes well under 1 s.
      const auto run = run_client("flags_async", args, work_, true, 60);
      ASSERT_EQ(run.exit_code, 0) << run.err;
      EXPECT_EQ(run.result.requested, c.requested);
      EXPECT_EQ(run.result.ok + run.result.not_found, c.requested);
      EXPECT_EQ(run.result.error, 0u);
    }
}
