// bench/floor's yardsticks do what the benchmarks take them for: the forwarder
// passes every byte both ways, and the client reports each response it got,
// every round, and fails when one is missing.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "child_process.hpp"
#include "http.hpp"
#include "services.hpp"

using namespace platespin;
using namespace platespin::test;

namespace {

struct ClientRun {
  ChildExit exit;
  std::vector<std::string> statuses;  // its stdout, a line each
};

ClientRun floor_client(std::uint16_t port, int n, int rounds) {
  ChildProcess client(binary("floor_client"), {std::to_string(port), "/flags", std::to_string(n), std::to_string(rounds)});
  std::istringstream out(client.read_rest(std::chrono::seconds(60)));
  ClientRun run{client.wait(), {}};
  for (std::string line; std::getline(out, line);) run.statuses.push_back(line);
  return run;
}

// How many of the codes floor_client asks for first (aa, ab, ...) the data set has.
long flags_among_first(int n) {
  long found = 0;
  for (int i = 0; i < n; ++i) {
    const std::string cc{static_cast<char>('a' + i / 26 % 26), static_cast<char>('a' + i % 26)};
    found += std::filesystem::exists(data_root() / "flags" / cc / (cc + ".gif")) ? 1 : 0;
  }
  return found;
}

}  // namespace

TEST(FloorForwarder, PassesResponsesThroughByteForByte) {
  const auto server = start_flag_server();
  const auto forwarder = start_service("floor_forwarder", {"0", std::to_string(server.port()), "2"});
  const auto direct = http_get(server.port(), flag_path("BR"));
  const auto through = http_get(forwarder.port(), flag_path("BR"));
  EXPECT_EQ(through.status, 200);
  EXPECT_EQ(through.body, direct.body);
  EXPECT_EQ(http_get(forwarder.port(), flag_path("ZZ")).status, 404);
}

TEST(FloorClient, ReportsEveryResponseOfEveryRound) {
  const auto server = start_flag_server();
  const ClientRun run = floor_client(server.port(), 60, 3);
  EXPECT_EQ(run.exit.exit_code, 0);
  ASSERT_EQ(run.statuses.size(), 180u);
  EXPECT_EQ(std::count(run.statuses.begin(), run.statuses.end(), "200"), 3 * flags_among_first(60));
  EXPECT_EQ(std::count(run.statuses.begin(), run.statuses.end(), "404"), 3 * (60 - flags_among_first(60)));
}

TEST(FloorClient, FailsWhenNoResponseCame) {
  std::uint16_t closed_port = 0;
  {
    const auto server = start_flag_server();
    closed_port = server.port();
  }  // stopped: its port refuses connections now
  const ClientRun run = floor_client(closed_port, 5, 1);
  EXPECT_EQ(run.exit.exit_code, 1);
  EXPECT_TRUE(run.statuses.empty());
}
