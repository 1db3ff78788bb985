// chaos_proxy driven by a real Toxiproxy client nobody here wrote: the npm
// package toxiproxy-node-client (pinned in scripts/bootstrap, installed into
// the build tree), through tests/proxy/toxiproxy_node_client.js. chaos_proxy
// starts as toxiproxy-server does, with no listeners and the API only.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "services.hpp"

using namespace platespin;
using namespace platespin::test;

namespace {

std::filesystem::path node_modules() { return binary("chaos_proxy").parent_path().parent_path() / "npm" / "node_modules"; }

std::filesystem::path node_binary() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (std::filesystem::exists(std::filesystem::path(dir) / "node")) return std::filesystem::path(dir) / "node";
  return {};
}

}  // namespace

TEST(ToxiproxyClient, TheNodeClientDrivesChaosProxyUnchanged) {
  const auto node = node_binary();
  if (node.empty()) GTEST_SKIP() << "node is not installed (scripts/bootstrap installs it)";
  if (!std::filesystem::exists(node_modules() / "toxiproxy-node-client"))
    GTEST_SKIP() << "toxiproxy-node-client is not in " << node_modules() << " (scripts/bootstrap installs it with npm)";
  const Service server = start_flag_server();
  const Service proxy = start_service("chaos_proxy", {"-host", "127.0.0.1", "-port=0"});
  const std::string script = std::string(PLATESPIN_SOURCE_DIR) + "/tests/proxy/toxiproxy_node_client.js";
  ChildProcess client(node, {script, node_modules().string(), proxy.url(), "127.0.0.1:" + std::to_string(server.port())});
  const std::string report = client.read_rest(std::chrono::seconds(60));
  const ChildExit exit = client.wait(std::chrono::seconds(10));
  EXPECT_EQ(exit.exit_code, 0) << report;
  EXPECT_EQ(report.find("FAIL"), std::string::npos) << report;
  EXPECT_NE(report.find("ok reset removes every toxic"), std::string::npos) << report;  // it ran to the end
}
