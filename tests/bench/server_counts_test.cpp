#include "server_counts.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace platespin::bench;

TEST(ServerCounts, ReadsFlagServerMetricsAndTakesDifferences) {
  const auto before = parse_flag_server_metrics(
      "# HELP flag_server_requests_total Requests answered, by status code.\n"
      "# TYPE flag_server_requests_total counter\nflag_server_requests_total{code=\"200\"} 3\n"
      "flag_server_sent_bytes_total 100\n");
  const auto after = parse_flag_server_metrics(
      "# TYPE flag_server_requests_total counter\nflag_server_requests_total{code=\"200\"} 20\n"
      "flag_server_requests_total{code=\"404\"} 9\nflag_server_requests_total{code=\"503\"} 1\n");
  const ServerCounts served = difference(after, before);
  EXPECT_EQ(served.ok(), 17u);
  EXPECT_EQ(served.not_found(), 9u);
  EXPECT_EQ(served.errors(), 1u);
  EXPECT_EQ(served.total(), 27u);
  EXPECT_TRUE(parse_flag_server_metrics("# TYPE flag_server_requests_total counter\n").by_status.empty());
  EXPECT_THROW(parse_flag_server_metrics("<html>not found</html>"), std::invalid_argument);
  // A sample whose code or count is not a whole number is named, not read as its leading digits.
  for (const char* sample : {"flag_server_requests_total{code=\"200\"} 3x\n",
                             "flag_server_requests_total{code=\"200\"} -3\n",
                             "flag_server_requests_total{code=\"2e2\"} 3\n",
                             "flag_server_requests_total{code=\"42\"} 3\n"})
    EXPECT_THROW(parse_flag_server_metrics(sample), std::invalid_argument) << sample;
}

// chaos_proxy's GET /proxies/NAME: status 0 (none sent: a hang, a cut) is an error.
TEST(ServerCounts, ReadsAProxyListenersCountsByStatus) {
  const auto c = parse_proxy_listener(
      R"({"name": "ERROR", "counters": {"requests": 10, "by_status": {"200": 5, "404": 2, "503": 2, "0": 1}}})");
  EXPECT_EQ(c.ok(), 5u);
  EXPECT_EQ(c.not_found(), 2u);
  EXPECT_EQ(c.errors(), 3u);
  const nlohmann::json j = c;
  EXPECT_EQ(j.at("errors"), 3);
  EXPECT_EQ(j.get<ServerCounts>().by_status, c.by_status);
  // A result file's statuses and counts are checked as read (std::stoi threw out_of_range).
  EXPECT_THROW(nlohmann::json::parse(R"({"by_status": {"99999999999": 1}})").get<ServerCounts>(), std::invalid_argument);
  EXPECT_THROW(nlohmann::json::parse(R"({"by_status": {"200": -1}})").get<ServerCounts>(), std::invalid_argument);
}
