// The harness across hosts, as docker-compose.yml spreads it: flag_server,
// chaos_proxy and flagbench (external mode) each in its own network namespace,
// reaching each other only by address through a bridge. Exact counts prove
// every request went through; the seeded ERROR listener must give the same
// counts as the same setup on loopback: only the addresses differ, not the code.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "child_process.hpp"
#include "namespace_network.hpp"
#include "run_command.hpp"
#include "services.hpp"

namespace platespin::test {
namespace {

namespace fs = std::filesystem;

const std::string kServerIp = std::string(NamespaceNetwork::kSubnetPrefix) + "1";
const std::string kProxyIp = std::string(NamespaceNetwork::kSubnetPrefix) + "2";
const std::string kClientIp = std::string(NamespaceNetwork::kSubnetPrefix) + "3";

struct Counts {
  double ok = -1, not_found = -1, errors = -1;
  bool operator==(const Counts&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Counts& c) {
  return out << c.ok << " ok / " << c.not_found << " not found / " << c.errors << " errors";
}

class MultiHost : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const auto why = NamespaceNetwork::unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
    network_.emplace();
    network_->add_host("server", kServerIp);
    network_->add_host("proxy", kProxyIp);
    network_->add_host("client", kClientIp);
    work_ = temp_dir("multihost");
  }

  // Starts binary `name` inside `host`'s namespace (nullopt: this machine's own).
  ChildProcess& start(const std::optional<std::string>& host, const std::string& name,
                      const std::vector<std::string>& args) {
    if (host)
      children_.push_back(std::make_unique<ChildProcess>(*find_program("ip"),
                                                         network_->exec_args(*host, binary(name).string(), args)));
    else
      children_.push_back(std::make_unique<ChildProcess>(binary(name), args));
    return *children_.back();
  }

  // flag_server on `ip`, port 0; returns where it listens.
  Endpoint start_server(const std::optional<std::string>& host, const std::string& ip) {
    return start(host, "flag_server", {"--root", data_root().string(), "--bind", ip, "--port", "0"})
        .wait_listening()
        .at(0);
  }

  // chaos_proxy on `ip` with the book's two listeners (shorter delays), seeded,
  // in front of `backend`; returns the listeners' addresses by name.
  std::map<std::string, Endpoint> start_proxy(const std::optional<std::string>& host, const std::string& ip,
                                              const Endpoint& backend) {
    const fs::path config = work_ / ("proxies-" + ip + ".yaml");
    std::ofstream(config) << "backend: " << backend.to_string() << "\n"
                          << "api: " << ip << ":0\n"
                          << "seed: 42\n"
                          << "listeners:\n"
                          << "  - {name: DELAY, listen: '" << ip << ":0', behavior: '100:delay', delay: 0.05}\n"
                          << "  - {name: ERROR, listen: '" << ip << ":0', behavior: '25:error,50:delay', delay: 0.05,"
                          << " error_codes: [500, 501, 502, 503]}\n";
    ChildProcess& proxy = start(host, "chaos_proxy", {"--config", config.string()});
    std::map<std::string, Endpoint> listeners;
    while (!listeners.contains("DELAY") || !listeners.contains("ERROR")) {
      Endpoint where;
      std::string name;
      if (parse_listening_line(proxy.read_line(std::chrono::seconds(20)), where, name)) listeners[name] = where;
    }
    return listeners;
  }

  // Runs flagbench in external mode against `endpoints` (LABEL -> base URL)
  // and returns its exit code and, per run, the counts its result file holds.
  std::pair<int, std::map<std::string, Counts>> run_flagbench(const std::optional<std::string>& host,
                                                              const std::map<std::string, std::string>& endpoints,
                                                              const std::string& tag) {
    const fs::path scenario = work_ / ("scenario-" + tag + ".yaml");
    const fs::path out = work_ / ("results-" + tag);
    std::ofstream yaml(scenario);
    yaml << "name: multihost\nendpoints:\n";
    for (const auto& [label, url] : endpoints) yaml << "  " << label << ": " << url << "\n";
    yaml << "runs:\n";
    for (const auto& [label, url] : endpoints)
      yaml << "  - {name: " << label << ", client: async, server: " << label << ", concurrency: 20, codes: every}\n";
    yaml.close();
    ChildOptions quiet;
    quiet.stderr_file = (work_ / ("flagbench-" + tag + ".err")).string();
    std::vector<std::string> args{"run", scenario.string(), "--out", out.string()};
    std::unique_ptr<ChildProcess> bench =
        host ? std::make_unique<ChildProcess>(*find_program("ip"),
                                              network_->exec_args(*host, binary("flagbench").string(), args), quiet)
             : std::make_unique<ChildProcess>(binary("flagbench"), args, quiet);
    bench->read_rest(std::chrono::seconds(120));
    const int exit_code = bench->wait(std::chrono::seconds(5)).exit_code;
    std::map<std::string, Counts> counts;
    if (fs::is_directory(out))
      for (const auto& file : fs::directory_iterator(out)) {
        if (file.path().extension() != ".json") continue;
        const auto doc = nlohmann::json::parse(std::ifstream(file.path()));
        for (const auto& run : doc.at("runs")) {
          const auto& a = run.at("aggregate");
          counts[run.at("run").get<std::string>()] = {a.at("ok").at("median").get<double>(),
                                                      a.at("not_found").at("median").get<double>(),
                                                      a.at("errors").at("median").get<double>()};
        }
      }
    return {exit_code, counts};
  }

  static std::string url(const Endpoint& where) { return "http://" + where.to_string() + "/flags"; }

  // Declared first, destroyed last: the processes die before their namespaces go.
  std::optional<NamespaceNetwork> network_;
  std::vector<std::unique_ptr<ChildProcess>> children_;
  fs::path work_;
};

TEST_F(MultiHost, FlagbenchReachesServerAndProxyOnOtherHostsByAddress) {
  const Endpoint server = start_server("server", kServerIp);
  ASSERT_EQ(server.host, kServerIp);
  const auto proxy = start_proxy("proxy", kProxyIp, server);
  ASSERT_EQ(proxy.at("DELAY").host, kProxyIp);

  const auto [exit_code, counts] = run_flagbench(
      "client", {{"LOCAL", url(server)}, {"DELAY", url(proxy.at("DELAY"))}, {"ERROR", url(proxy.at("ERROR"))}},
      "netns");
  EXPECT_EQ(exit_code, 0);
  const Counts every_flag{194, 482, 0};
  EXPECT_EQ(counts.at("LOCAL"), every_flag);
  EXPECT_EQ(counts.at("DELAY"), every_flag);
  const Counts chaos = counts.at("ERROR");
  EXPECT_GT(chaos.errors, 0) << "the ERROR listener injected no fault";
  EXPECT_EQ(chaos.ok + chaos.not_found + chaos.errors, 676);

  // The same seed on loopback, in this machine's own namespace: the same faults on the same flags.
  const Endpoint local_server = start_server(std::nullopt, "127.0.0.1");
  const auto local_proxy = start_proxy(std::nullopt, "127.0.0.1", local_server);
  const auto [local_exit, local_counts] =
      run_flagbench(std::nullopt, {{"ERROR", url(local_proxy.at("ERROR"))}}, "loopback");
  EXPECT_EQ(local_exit, 0);
  EXPECT_EQ(local_counts.at("ERROR"), chaos);
}

TEST_F(MultiHost, TheClientHostHasNoLoopbackPathToTheServer) {
  const Endpoint server = start_server("server", kServerIp);
  // The same port on the client's own 127.0.0.1 is another host's loopback: nothing listens there.
  const auto [exit_code, counts] =
      run_flagbench("client", {{"LOCAL", "http://127.0.0.1:" + std::to_string(server.port) + "/flags"}}, "loopback");
  EXPECT_EQ(exit_code, 1) << "flagbench reached a server the client's namespace must not see";
  EXPECT_TRUE(counts.empty());
}

}  // namespace
}  // namespace platespin::test
