// ServerMetrics' counters and their Prometheus text.
#include "metrics.hpp"

#include <gtest/gtest.h>

using namespace platespin;

TEST(ServerMetrics, RendersEveryFamilyWithItsType) {
  ServerMetrics m;
  m.connection_accepted();
  m.connection_accepted();
  m.connection_closed();
  m.reply_sent(200, 500);
  m.reply_sent(200, 500);
  m.reply_sent(404, 150);
  m.reply_sent(42, 10);  // not a status: only its bytes count
  const std::string text = m.render(194, 2'400'000);
  for (const char* line : {"# TYPE flag_server_requests_total counter\n", "flag_server_requests_total{code=\"200\"} 2\n",
                           "flag_server_requests_total{code=\"404\"} 1\n", "# TYPE flag_server_sent_bytes_total counter\n",
                           "flag_server_sent_bytes_total 1160\n", "flag_server_connections_accepted_total 2\n",
                           "# TYPE flag_server_connections_open gauge\n", "flag_server_connections_open 1\n",
                           "flag_server_cache_files 194\n", "flag_server_cache_bytes 2400000\n"})
    EXPECT_NE(text.find(line), std::string::npos) << line << "\nin\n" << text;
  EXPECT_EQ(text.find("code=\"500\""), std::string::npos) << "statuses never sent are left out";
  EXPECT_EQ(text.back(), '\n');
}
