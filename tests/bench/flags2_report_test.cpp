#include "flags2_report.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

using namespace platespin::bench;

namespace {

// ok / not found / errors, and their sum as the requested count.
std::vector<std::size_t> counts(const platespin::ClientResult& r) { return {r.ok, r.not_found, r.error, r.requested}; }

}  // namespace

// flags2_threadpool.py's docstring, as the book prints it.
TEST(Flags2Report, ReadsTheBooksFinalReport) {
  const auto r = parse_flags2_report(
      "ERROR site: http://localhost:8003/flags\nSearching for 676 flags: from AA to ZZ\n"
      "30 concurrent connections will be used.\n--------------------\n150 flags downloaded.\n361 not found.\n"
      "165 errors.\nElapsed time: 7.46s\n",
      "python3");
  EXPECT_EQ(counts(r), (std::vector<std::size_t>{150, 361, 165, 676}));
  EXPECT_DOUBLE_EQ(r.elapsed_s, 7.46);
  EXPECT_DOUBLE_EQ(r.items_per_s, 676 / 7.46);
  EXPECT_EQ(r.client, "python3");
}

// Lines the book leaves out when zero, its singulars, and a tqdm bar's carriage returns.
TEST(Flags2Report, SingularsMissingLinesAndProgressBars) {
  const auto r = parse_flags2_report(" 50%|#####     | 1/2\r100%|##########| 2/2\n1 flag downloaded.\n1 error.\n"
                                     "Elapsed time: 0.25 s\n",
                                     "sh");
  EXPECT_EQ(counts(r), (std::vector<std::size_t>{1, 0, 1, 2}));
  EXPECT_THROW(parse_flags2_report("Elapsed time: 1.00s\n", "sh"), std::invalid_argument);
  EXPECT_THROW(parse_flags2_report("3 flags downloaded.\n", "sh"), std::invalid_argument);
}
