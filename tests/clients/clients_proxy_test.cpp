// The downloaders through the real chaos_proxy in front of the real
// flag_server: seeded errors, hangs, truncation, resets, retries, delay.
#include <gtest/gtest.h>

#include <map>

#include "client_run.hpp"
#include "services.hpp"

using namespace platespin;
using namespace platespin::test;

namespace {

class ThroughProxy : public FlagServerSuite {
 protected:
  // A fresh proxy: seeded decisions count the requests a listener has seen,
  // so every client run gets its own.
  static Service proxy(const std::string& behavior, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--protocol", "http", "--backend", "127.0.0.1:" + std::to_string(server_->port()),
                                  "--proxy", "127.0.0.1:0", "--behavior", behavior};
    args.insert(args.end(), extra.begin(), extra.end());
    return start_service("chaos_proxy", args);
  }
};

using Outcomes = std::map<std::string, std::pair<std::string, int>>;  // cc → (outcome, status)

Outcomes outcomes_of(const ClientResult& r) {
  Outcomes out;
  for (const auto& item : r.items) out[item.cc] = {to_string(item.outcome), item.status};
  return out;
}

std::size_t errors_of(const ClientResult& r, const std::string& kind) {
  const auto it = r.errors_by_kind.find(kind);
  return it == r.errors_by_kind.end() ? 0 : it->second;
}

}  // namespace

TEST_F(ThroughProxy, SeededErrorProxyGivesTheSameOutcomesToAllThreeClients) {
  std::vector<ClientResult> results;
  for (const auto& client : kClients) {
    const Service error = proxy("25:error,50:delay", {"--behavior-delay-sleep", "0.01", "--seed", "42"});
    const auto run = run_client(client, {"-e", "-m", "100", "-s", error.url(0, "/flags"), "--no-save"}, work_);
    ASSERT_EQ(run.exit_code, 0) << client << run.err;
    results.push_back(run.result);
  }
  const auto& first = results.front();
  EXPECT_EQ(first.ok + first.not_found + first.error, 676u);
  // About a quarter are errors, each an HTTP 5xx from the proxy.
  EXPECT_GT(first.error, 100u);
  EXPECT_LT(first.error, 250u);
  for (const auto& [kind, count] : first.errors_by_kind) EXPECT_EQ(kind.rfind("http_50", 0), 0u) << kind;
  for (std::size_t i = 1; i < results.size(); ++i) {
    EXPECT_EQ(results[i].ok, first.ok) << kClients[i];
    EXPECT_EQ(results[i].not_found, first.not_found) << kClients[i];
    EXPECT_EQ(results[i].error, first.error) << kClients[i];
    EXPECT_EQ(outcomes_of(results[i]), outcomes_of(first)) << kClients[i];
  }
}

TEST_F(ThroughProxy, HungPeerEndsAsTimeoutAfterTimeout) {
  for (const auto& client : kClients) {
    const Service hang = proxy("100:hang");
    const auto run = run_client(client, {"BR", "US", "-m", "2", "--timeout", "1", "-s", hang.url(0, "/flags"),
                                         "--no-save"}, work_);
    EXPECT_EQ(run.exit_code, 0) << client;
    EXPECT_EQ(errors_of(run.result, "timeout"), 2u) << client;
    EXPECT_GE(run.result.elapsed_s, 0.9) << client;
    EXPECT_LT(run.result.elapsed_s, 20) << client;  // 10x the 2 s a sequential run needs
    EXPECT_NE(run.out.find("2 errors."), std::string::npos) << run.out;
  }
}

TEST_F(ThroughProxy, TruncatedBodyIsTruncatedAndClosedConnectionsAreResets) {
  const Service truncate = proxy("100:truncate", {"--behavior-truncate-bytes", "10"});
  const auto cut = run_client("flags_async", {"-a", "-l", "10", "-s", truncate.url(0, "/flags"), "--dest",
                                              (work_ / "cut").string()}, work_);
  EXPECT_EQ(errors_of(cut.result, "truncated"), 10u);
  EXPECT_TRUE(std::filesystem::is_empty(work_ / "cut"));  // nothing half-written

  for (const std::string behavior : {"100:abort", "100:blackout"}) {
    const Service closing = proxy(behavior);
    const auto run = run_client("flags_threadpool", {"-a", "-l", "5", "-s", closing.url(0, "/flags"), "--no-save",
                                                     "-v"}, work_);
    EXPECT_EQ(errors_of(run.result, "reset"), 5u) << behavior << run.out;
    EXPECT_NE(run.out.find("*** Error for AD: Connection error\n"), std::string::npos) << run.out;
  }
}

TEST_F(ThroughProxy, RetriesTurnSeededErrorsIntoSuccesses) {
  const std::vector<std::string> seeded{"--seed", "7"};
  const std::vector<std::string> codes{"-a", "-l", "40", "-m", "10", "--no-save"};
  const Service once = proxy("25:error", seeded);
  auto args = codes;
  args.insert(args.end(), {"-s", once.url(0, "/flags")});
  const auto without = run_client("flags_async", args, work_);
  EXPECT_GT(without.result.error, 0u);

  const Service again = proxy("25:error", seeded);
  args = codes;
  args.insert(args.end(), {"-s", again.url(0, "/flags"), "--retries", "3"});
  const auto with = run_client("flags_async", args, work_);
  EXPECT_EQ(with.result.ok, 40u);
  EXPECT_EQ(with.result.error, 0u);
  int retried = 0;
  for (const auto& item : with.result.items) retried += item.attempts > 1;
  EXPECT_GE(retried, static_cast<int>(without.result.error));
}

TEST_F(ThroughProxy, AConnectionClosedWhileIdleIsReopenedWithoutAnAttemptOrAnError) {
  // Each 5xx is retried after a 100 ms pause on the same kept-alive connection;
  // a proxy that closes connections idle for 50 ms has closed it by then, and
  // the client reopens it without counting an attempt: the same seeded run
  // with and without the idle timeout has the same attempts and outcomes.
  const std::vector<std::string> codes{"-a", "-l", "20", "-m", "1", "--retries", "3", "--no-save"};
  for (const auto& client : kClients) {
    std::vector<ClientResult> runs;
    for (const bool idle_close : {false, true}) {
      std::vector<std::string> extra{"--seed", "7"};
      if (idle_close) extra.insert(extra.end(), {"--idle-timeout", "0.05"});
      const Service errors = proxy("25:error", extra);
      auto args = codes;
      args.insert(args.end(), {"-s", errors.url(0, "/flags")});
      const auto run = run_client(client, args, work_);
      ASSERT_EQ(run.exit_code, 0) << client << run.err;
      runs.push_back(run.result);
    }
    EXPECT_EQ(runs[1].ok, 20u) << client;
    EXPECT_EQ(outcomes_of(runs[1]), outcomes_of(runs[0])) << client;
    for (std::size_t i = 0; i < runs[0].items.size(); ++i)
      EXPECT_EQ(runs[1].items[i].attempts, runs[0].items[i].attempts) << client << " " << runs[0].items[i].cc;
  }
}

TEST_F(ThroughProxy, ConcurrencyHidesTheDelay) {
  // 20 flags through a 0.5 s delay: one at a time needs 10 s, 20 at once 0.5 s.
  for (const std::string client : {"flags_threadpool", "flags_async"}) {
    const Service delay = proxy("100:delay", {"--behavior-delay-sleep", "0.5"});
    const auto run = run_client(client, {"-m", "20", "-s", delay.url(0, "/flags"), "--no-save"}, work_);
    EXPECT_EQ(run.result.ok, 20u) << client;
    EXPECT_GE(run.result.latency_ms.p50, 500) << client;
    EXPECT_LT(run.result.elapsed_s, 5) << client;
  }
}
