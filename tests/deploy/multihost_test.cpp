// What docker-compose.yml does, on "hosts" made of network namespaces: the
// server, proxy and bench services each in its own namespace, reaching each
// other through a bridge by service name (each namespace's /etc/hosts), with
// the very commands and config files of docker-compose.yml. flagbench's
// verdict covers the scenario's exact expectations; the counts are checked
// here as well. Nothing may assume 127.0.0.1.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "child_process.hpp"
#include "namespace_network.hpp"
#include "result.hpp"
#include "run_command.hpp"
#include "services.hpp"

namespace platespin::test {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = PLATESPIN_SOURCE_DIR;
const std::string kServerIp = std::string(NamespaceNetwork::kSubnetPrefix) + "1";
const std::string kProxyIp = std::string(NamespaceNetwork::kSubnetPrefix) + "2";
const std::string kBenchIp = std::string(NamespaceNetwork::kSubnetPrefix) + "3";

// A service's command in docker-compose.yml: the binary's name, then its arguments.
std::vector<std::string> compose_command(const std::string& service) {
  const YAML::Node compose = YAML::LoadFile((kSource / "docker-compose.yml").string());
  return compose["services"][service]["command"].as<std::vector<std::string>>();
}

struct Counts {
  double ok = -1, not_found = -1, errors = -1;
  bool operator==(const Counts&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Counts& c) {
  return out << c.ok << " ok / " << c.not_found << " not found / " << c.errors << " errors";
}

// Per run, the counts in a platespin.bench/1 result file.
std::map<std::string, Counts> counts_in(const fs::path& file) {
  std::map<std::string, Counts> counts;
  const auto doc = nlohmann::json::parse(std::ifstream(file));
  for (const auto& run : doc.at("runs")) {
    const auto& a = run.at("aggregate");
    counts[run.at("run").get<std::string>()] = {a.at("ok").at("median").get<double>(),
                                                a.at("not_found").at("median").get<double>(),
                                                a.at("errors").at("median").get<double>()};
  }
  return counts;
}

class MultiHost : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const auto why = NamespaceNetwork::unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
    network_.emplace();
    network_->add_host("server", kServerIp);
    network_->add_host("proxy", kProxyIp);
    network_->add_host("bench", kBenchIp);
    work_ = temp_dir("multihost");
  }
  void TearDown() override {
    children_.clear();
    if (!work_.empty()) fs::remove_all(work_);
  }

  // Starts `command` (a binary's name and its arguments) inside `host`'s
  // namespace, in the source folder as the image's working directory holds configs/.
  ChildProcess& start(const std::string& host, const std::vector<std::string>& command) {
    const ChildOptions options{.err = ChildOutput::into(work_ / (host + "-" + std::to_string(children_.size()) + ".err")),
                               .working_dir = kSource};
    const std::vector<std::string> args(command.begin() + 1, command.end());
    children_.push_back(std::make_unique<ChildProcess>(
        *find_program("ip"), network_->exec_args(host, binary(command.front()).string(), args), options));
    return *children_.back();
  }

  // Declared first, destroyed last: the processes die before their namespaces go.
  std::optional<NamespaceNetwork> network_;
  std::vector<std::unique_ptr<ChildProcess>> children_;
  fs::path work_;
};

TEST_F(MultiHost, TheComposeServicesWorkOnSeparateHostsByName) {
  const Endpoint server = start("server", compose_command("server")).wait_listening().at(0);
  EXPECT_EQ(server.port, 8001);
  start("proxy", compose_command("proxy")).wait_listening(3);  // DELAY, ERROR, the API

  auto bench_command = compose_command("bench");
  const auto out = std::find(bench_command.begin(), bench_command.end(), "--out");
  ASSERT_TRUE(out != bench_command.end() && out + 1 != bench_command.end()) << "bench has no --out DIR";
  *(out + 1) = (work_ / "results").string();
  ChildProcess& bench = start("bench", bench_command);
  const std::string table = bench.read_rest(std::chrono::seconds(240));
  const int exit_code = bench.wait(std::chrono::seconds(5)).exit_code;
  std::ifstream err(work_ / "bench-2.err");
  EXPECT_EQ(exit_code, 0) << "flagbench's verdict:\n" << table << std::string(std::istreambuf_iterator<char>(err), {});

  std::vector<fs::path> results;
  for (const auto& file : fs::directory_iterator(work_ / "results"))
    if (file.path().extension() == ".json") results.push_back(file.path());
  ASSERT_EQ(results.size(), 1U);
  const auto counts = counts_in(results.front());
  const Counts every_flag{194, 482, 0};
  EXPECT_EQ(counts.at("local"), every_flag);
  EXPECT_EQ(counts.at("delay"), every_flag);
  const Counts chaos = counts.at("error");
  EXPECT_GT(chaos.errors, 0) << "the ERROR listener injected no fault";
  EXPECT_EQ(chaos.ok + chaos.not_found + chaos.errors, 676);
}

TEST_F(MultiHost, TheBenchHostReachesTheServerByAddressAndNotByLoopback) {
  const Endpoint server =
      start("server", {"flag_server", "--bind", kServerIp, "--port", "0"}).wait_listening().at(0);
  ASSERT_EQ(server.host, kServerIp);
  // One flag, straight from a client on the bench host.
  const auto fetch = [&](const std::string& base_url) {
    ChildProcess& client =
        start("bench", {"flags_async", "-s", base_url, "--json", "-", "--no-save", "--timeout", "5", "AD"});
    ClientResult result;
    from_json(nlohmann::json::parse(client.read_rest(std::chrono::seconds(30))), result);
    EXPECT_EQ(client.wait().exit_code, 0);
    return result;
  };
  const std::string port = std::to_string(server.port);
  EXPECT_EQ(fetch("http://" + kServerIp + ":" + port + "/flags").ok, 1U);
  EXPECT_EQ(fetch("http://server:" + port + "/flags").ok, 1U);
  // The same port on the bench host's own 127.0.0.1 is another host's loopback: nothing listens there.
  const ClientResult by_loopback = fetch("http://127.0.0.1:" + port + "/flags");
  EXPECT_EQ(by_loopback.ok, 0U);
  EXPECT_EQ(by_loopback.errors_by_kind, (std::map<std::string, std::size_t>{{"refused", 1}}));
}

}  // namespace
}  // namespace platespin::test
