#include "progress.hpp"

#include <gtest/gtest.h>

using namespace platespin;

TEST(ProgressLine, ShowsPercentCountRateAndEta) {
  const std::string line = progress_line(338, 676, 2.0);
  EXPECT_EQ(line.substr(0, 5), " 50%|");
  EXPECT_NE(line.find("| 338/676 [00:02<00:02, 169.00it/s]"), std::string::npos) << line;
  // 15 full cells of 30, then blanks.
  EXPECT_NE(line.find("███████████████               |"), std::string::npos) << line;
}

TEST(ProgressLine, StartAndEnd) {
  EXPECT_NE(progress_line(0, 10, 0).find("  0%|"), std::string::npos);
  EXPECT_NE(progress_line(0, 10, 0).find("<?, 0.00it/s]"), std::string::npos);
  const std::string done = progress_line(10, 10, 65);
  EXPECT_EQ(done.substr(0, 5), "100%|");
  EXPECT_NE(done.find("[01:05<00:00,"), std::string::npos) << done;
}
