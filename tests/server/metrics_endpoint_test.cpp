// GET /metrics on the real flag_server: the counts after known traffic, and
// the text checked by Prometheus's own promtool when it is installed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "http.hpp"
#include "services.hpp"

using namespace platespin;

namespace {

// The value of the sample line starting with `name` ("" when absent).
std::string sample(const std::string& text, const std::string& name) {
  const auto at = text.find("\n" + name + " ");
  if (at == std::string::npos) return "";
  const auto start = at + name.size() + 2;
  return text.substr(start, text.find('\n', start) - start);
}

TEST(FlagServerMetrics, CountsRequestsBytesConnectionsAndTheCache) {
  const auto server = test::start_flag_server({"--threads", "1"});
  const std::string ad = test::read_file(test::data_root() / "flags/ad/ad.gif");
  ASSERT_EQ(test::http_get(server.port(), "/flags/ad/ad.gif").status, 200);
  ASSERT_EQ(test::http_get(server.port(), "/flags/ad/ad.gif").status, 200);
  ASSERT_EQ(test::http_get(server.port(), "/flags/zz/zz.gif").status, 404);
  const auto reply = test::http_get(server.port(), "/metrics");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = reply.body;
  EXPECT_EQ(sample(text, "flag_server_requests_total{code=\"200\"}"), "2") << text;
  EXPECT_EQ(sample(text, "flag_server_requests_total{code=\"404\"}"), "1") << text;
  EXPECT_GT(std::stoull(sample(text, "flag_server_sent_bytes_total")), 2 * ad.size()) << text;
  // Each http_get is a connection of its own; this one is still open.
  EXPECT_EQ(sample(text, "flag_server_connections_accepted_total"), "4") << text;
  EXPECT_EQ(sample(text, "flag_server_connections_open"), "1") << text;
  EXPECT_GT(std::stoull(sample(text, "flag_server_cache_files")), 194u) << text;
  EXPECT_GT(std::stoull(sample(text, "flag_server_cache_bytes")), 194 * 100u) << text;
}

TEST(FlagServerMetrics, PromtoolAcceptsTheText) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "promtool is not installed (Debian package prometheus)";
  const auto server = test::start_flag_server({"--threads", "1"});
  ASSERT_EQ(test::http_get(server.port(), "/flags/ad/ad.gif").status, 200);
  ASSERT_EQ(test::http_get(server.port(), "/flags/zz/zz.gif").status, 404);
  const auto reply = test::http_get(server.port(), "/metrics");
  ASSERT_EQ(reply.status, 200);
  const auto file = test::temp_dir("metrics") / "metrics.txt";
  std::ofstream(file) << reply.body;
  const std::string command = "promtool check metrics < '" + file.string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command << "\n" << reply.body;
}

}  // namespace
