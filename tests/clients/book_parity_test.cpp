// Where the downloaders and spinners behave as the book's scripts do
// (flags2_common.py, flags2_*.py, flags3_asyncio.py, flags2_asyncio_executor.py),
// checked on the real binaries against the real flag_server and chaos_proxy.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <mutex>

#include "client_run.hpp"
#include "scripted_server.hpp"
#include "services.hpp"

using namespace platespin;
using namespace platespin::test;

namespace {

class BookParity : public FlagServerSuite {
 protected:
  static std::string url() { return server_->url(0, "/flags"); }
  static Service proxy(const std::vector<std::string>& behavior) {
    std::vector<std::string> args{"--protocol", "http", "--backend", "127.0.0.1:" + std::to_string(server_->port()),
                                  "--proxy", "127.0.0.1:0"};
    args.insert(args.end(), behavior.begin(), behavior.end());
    return start_service("chaos_proxy", args);
  }
};

std::size_t count_lines(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

const ItemResult& item_of(const ClientResult& r, const std::string& cc) {
  const auto it = std::find_if(r.items.begin(), r.items.end(), [&](const ItemResult& i) { return i.cc == cc; });
  if (it == r.items.end()) throw std::runtime_error("no item " + cc);
  return *it;
}

}  // namespace

TEST_F(BookParity, ErrorLinesSayWhatTheBookSays) {
  const Service error = proxy({"--behavior", "100:error", "--behavior-error-codes", "503"});
  Service gone = start_flag_server();
  const std::string dead_url = gone.url(0, "/flags");
  gone.process->signal(SIGTERM);
  gone.process->wait();
  for (const auto& client : kClients) {
    SCOPED_TRACE(client);
    const auto http = run_client(client, {"BR", "-v", "--no-save", "-s", error.url(0, "/flags")}, work_);
    EXPECT_NE(http.out.find("\n*** Error for BR: HTTP error 503 - Service Unavailable\n"), std::string::npos) << http.out;
    EXPECT_EQ(http.result.errors_by_kind.at("http_503"), 1u);  // the JSON keeps the kind

    const auto refused = run_client(client, {"BR", "-v", "--no-save", "-s", dead_url}, work_);
    EXPECT_NE(refused.out.find("\n*** Error for BR: Connection error\n"), std::string::npos) << refused.out;
    EXPECT_EQ(refused.result.errors_by_kind.at("refused"), 1u);
  }
}

TEST(BookUsage, ChecksPrintTheUsageOnStdoutAndExitOne) {
  const auto work = temp_dir("book-usage");
  const std::vector<std::pair<std::vector<std::string>, std::string>> checks{
      {{"-m", "0"}, "--max_req CONCURRENT must be >= 1"},
      {{"-l", "0"}, "--limit N must be >= 1"},
      {{"A1"}, "each CC argument must be A to Z or AA to ZZ"},
      {{"-s", "NOWHERE"}, "--server LABEL must be one of DELAY, ERROR, LOCAL, REMOTE"},
      {{"--repeat", "0"}, "--repeat K must be >= 1"}};
  for (const auto& client : kClients)
    for (const auto& [args, message] : checks) {
      SCOPED_TRACE(client + " " + args[0]);
      const auto run = run_client(client, args, work, false);
      EXPECT_EQ(run.exit_code, 1);
      EXPECT_EQ(run.out.rfind("*** Usage error: " + message, 0), 0u) << run.out;
      EXPECT_NE(run.out.find("\nusage: " + client + " [-h] [-a] [-e] [-l N] [-m CONCURRENT] [-s LABEL] [-v]"),
                std::string::npos) << run.out;
      EXPECT_EQ(count_lines(run.out), 2u) << run.out;
      EXPECT_TRUE(run.err.empty()) << run.err;
    }
  std::filesystem::remove_all(work);
}

TEST(BookUsage, ParseErrorsPrintTheUsageOnStderrAndExitTwoInTheSameFormat) {
  const auto work = temp_dir("book-parse");
  for (const auto& client : kClients)
    for (const auto& args : std::vector<std::vector<std::string>>{{"-m", "abc"}, {"--bogus"}}) {
      SCOPED_TRACE(client + " " + args[0]);
      const auto run = run_client(client, args, work, false);
      EXPECT_EQ(run.exit_code, 2);
      EXPECT_EQ(run.err.rfind("usage: " + client + " [-h] [-a] [-e] [-l N] [-m CONCURRENT] [-s LABEL] [-v]", 0), 0u)
          << run.err;
      EXPECT_NE(run.err.find("\n" + client + ": error: "), std::string::npos) << run.err;
      EXPECT_EQ(count_lines(run.err), 2u) << run.err;
      EXPECT_TRUE(run.out.empty()) << run.out;
    }
  std::filesystem::remove_all(work);
}

TEST_F(BookParity, TheBooksOptionSpellingsAndNoLimitOnTheDefaultTwenty) {
  for (const auto& client : kClients) {
    SCOPED_TRACE(client);
    const auto attached = run_client(client, {"-m=2", "-l=3", "-a", "--no-save", "-s", url()}, work_);
    EXPECT_EQ(attached.exit_code, 0) << attached.out << attached.err;
    EXPECT_EQ(attached.result.requested, 3u);
    EXPECT_EQ(attached.result.concurrency, client == "flags_sequential" ? 1 : 2);

    const auto long_names = run_client(client, {"--max_req", "2", "--limit", "2", "--server", url(), "--verbose",
                                                "--every", "--no-save"}, work_);
    EXPECT_EQ(long_names.exit_code, 0) << long_names.err;
    EXPECT_EQ(long_names.result.requested, 2u);
    EXPECT_NE(long_names.out.find("\nAA not found\n"), std::string::npos) << long_names.out;
    EXPECT_EQ(run_client(client, {"--all", "--limit", "1", "--no-save", "-s", url()}, work_).result.ok, 1u);

    // expand_cc_args returns sorted(set())[:limit], empty, and then POP20_CC is used whole.
    const auto top20 = run_client(client, {"-l", "3", "--no-save", "-s", url()}, work_);
    EXPECT_EQ(top20.result.requested, 20u);
    EXPECT_NE(top20.out.find("Searching for 20 flags: from BD to VN\n"), std::string::npos) << top20.out;
  }
}

TEST_F(BookParity, SiteLabelsPrintAsTheBookAndCanBePointedElsewhere) {
  const Service delay = proxy({"--behavior", "100:delay", "--behavior-delay-sleep", "0.01"});
  const std::string delay_url = delay.url(0, "/flags");
  for (const auto& client : kClients) {
    SCOPED_TRACE(client);
    const auto pointed = run_client(client, {"BR", "--no-save", "--site", "DELAY=" + delay_url, "-s", "delay"}, work_);
    EXPECT_EQ(pointed.result.ok, 1u) << pointed.out << pointed.err;
    EXPECT_EQ(pointed.out.rfind("DELAY site: " + delay_url + "\n", 0), 0u) << pointed.out;
    EXPECT_EQ(pointed.result.server_label, "DELAY");

    ::setenv("PLATESPIN_REMOTE_URL", url().c_str(), 1);
    const auto remote = run_client(client, {"BR", "--no-save", "-s", "REMOTE"}, work_);
    ::unsetenv("PLATESPIN_REMOTE_URL");
    EXPECT_EQ(remote.result.ok, 1u) << remote.out << remote.err;
    EXPECT_EQ(remote.out.rfind("REMOTE site: " + url() + "\n", 0), 0u) << remote.out;

    ::setenv("PLATESPIN_SLOW_URL", delay_url.c_str(), 1);  // any label, not only the book's
    const auto slow = run_client(client, {"BR", "--no-save", "-s", "slow"}, work_);
    ::unsetenv("PLATESPIN_SLOW_URL");
    EXPECT_EQ(slow.out.rfind("SLOW site: " + delay_url + "\n", 0), 0u) << slow.out;

    // The book's host is not ours: REMOTE without a URL is a usage error that says how to give one.
    const auto unset = run_client(client, {"BR", "-s", "REMOTE"}, work_, false);
    EXPECT_EQ(unset.exit_code, 1);
    EXPECT_NE(unset.out.find("--site REMOTE=URL or PLATESPIN_REMOTE_URL"), std::string::npos) << unset.out;

    // LOCAL prints localhost as the book does (whatever answers on 8001 here, or nothing).
    const auto local = run_client(client, {"BR", "--no-save", "--timeout", "1", "-s", "LOCAL"}, work_);
    EXPECT_EQ(local.out.rfind("LOCAL site: http://localhost:8001/flags\n", 0), 0u) << local.out;
  }
}

TEST_F(BookParity, Flags3FetchesTheGifThenTheMetadataAndSavesCountryDashCode) {
  for (const auto& client : kClients) {
    SCOPED_TRACE(client);
    const auto dest = work_ / ("flags3-" + client);
    const auto run = run_client(client, {"BR", "US", "ZZ", "--metadata", "-s", url(), "--dest", dest.string()}, work_);
    EXPECT_EQ(run.result.ok, 2u) << run.out << run.err;
    EXPECT_EQ(run.result.not_found, 1u);
    EXPECT_EQ(read_file(dest / "Brazil-BR.gif"), read_file(data_root() / "flags/br/br.gif"));
    EXPECT_TRUE(std::filesystem::exists(dest / "United_States_of_America-US.gif"));
  }
  // A tree where BR has its GIF but no metadata.json and US the other way
  // round: both are "not found"; the GETs each item made show the order.
  const auto tree = work_ / "tree";
  std::filesystem::create_directories(tree / "flags/br");
  std::filesystem::create_directories(tree / "flags/us");
  std::filesystem::copy_file(data_root() / "flags/br/br.gif", tree / "flags/br/br.gif");
  std::filesystem::copy_file(data_root() / "flags/us/metadata.json", tree / "flags/us/metadata.json");
  const Service half = start_service("flag_server", {"--port", "0", "--root", tree.string()});
  for (const auto& client : kClients) {
    SCOPED_TRACE(client);
    const auto run = run_client(client, {"BR", "US", "--metadata", "--no-save", "-s", half.url(0, "/flags")}, work_);
    EXPECT_EQ(run.result.not_found, 2u) << run.out << run.err;
    EXPECT_EQ(item_of(run.result, "BR").attempts, 2);  // the GIF (200), then metadata.json (404)
    EXPECT_EQ(item_of(run.result, "US").attempts, 1);  // the GIF (404): no metadata asked for
  }
}

TEST_F(BookParity, OneTaskPerCodeUnderASemaphoreAndSavesOnAThreadPool) {
  for (const auto& mode : std::vector<std::vector<std::string>>{{"--tasks-per-code"}, {"--save-in-pool"},
                                                                 {"--tasks-per-code", "--save-in-pool"}}) {
    SCOPED_TRACE(mode.size() == 2 ? "both" : mode[0]);
    const auto dest = work_ / ("mode-" + std::to_string(mode.size()) + mode[0]);
    std::vector<std::string> args{"-e", "-m", "50", "-s", url(), "--dest", dest.string()};
    args.insert(args.end(), mode.begin(), mode.end());
    const auto run = run_client("flags_async", args, work_);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.result.ok, 194u);
    EXPECT_EQ(run.result.not_found, 482u);
    EXPECT_EQ(run.result.concurrency, 50);
    expect_saved_flags(dest, 194);
  }
  // The semaphore bounds the requests in flight: 12 flags through a 0.2 s
  // delay with 3 permits take at least 4 rounds, where unbounded tasks would take one.
  const Service delay = proxy({"--behavior", "100:delay", "--behavior-delay-sleep", "0.2"});
  const auto bounded = run_client("flags_async", {"-a", "-l", "12", "-m", "3", "--tasks-per-code", "--no-save", "-s",
                                                  delay.url(0, "/flags")}, work_);
  EXPECT_EQ(bounded.result.ok, 12u);
  EXPECT_GE(bounded.result.elapsed_s, 0.8);
  // flags3 under the semaphore, saved on the pool.
  const auto meta = run_client("flags_async", {"BR", "--metadata", "--tasks-per-code", "--save-in-pool", "-s", url(),
                                               "--dest", (work_ / "meta").string()}, work_);
  EXPECT_EQ(meta.result.ok, 1u);
  EXPECT_TRUE(std::filesystem::exists(work_ / "meta/Brazil-BR.gif"));
}

TEST(BookTasks, Flags3TakesTheSemaphoreForEachGetOnItsOwn) {
  // The book: `with (yield from semaphore)` around the GIF, then again around
  // metadata.json. With one permit the two codes' GIFs go first: the permit a
  // GET gives back goes to the code waiting longest, not back to its own code.
  std::mutex mutex;
  std::vector<std::string> targets;  // in the order the server got them
  ScriptedServer server([&](const std::string& target) {
    {
      std::lock_guard lock(mutex);
      targets.push_back(target);
    }
    const std::string cc = target.substr(7, 2);
    if (target.ends_with(".gif")) return ok_response(read_file(data_root() / "flags" / cc / (cc + ".gif")));
    return ok_response(read_file(data_root() / "flags" / cc / "metadata.json"), "application/json");
  });
  const auto work = temp_dir("book-tasks");
  const auto run = run_client("flags_async", {"BR", "US", "--metadata", "--tasks-per-code", "-m", "1", "--no-save",
                                              "-s", server.url("/flags")}, work);
  EXPECT_EQ(run.result.ok, 2u) << run.out << run.err;
  std::lock_guard lock(mutex);
  EXPECT_EQ(targets, (std::vector<std::string>{"/flags/br/br.gif", "/flags/us/us.gif", "/flags/br/metadata.json",
                                               "/flags/us/metadata.json"}));
  std::filesystem::remove_all(work);
}

TEST_F(BookParity, AFailedSaveSaysTheRealReason) {
  for (const auto& client : kClients) {
    SCOPED_TRACE(client);
    const auto dest = work_ / ("full-" + client);
    std::filesystem::create_directories(dest / "br.gif" / "inside");  // a full directory where the file goes
    const auto run = run_client(client, {"BR", "-v", "-s", url(), "--dest", dest.string()}, work_);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    ASSERT_EQ(run.result.errors_by_kind.at("save"), 1u);
    // It said "Success": the reason was read after cleaning up had overwritten it.
    const std::string reason = "cannot write " + (dest / "br.gif").string() + ": Is a directory";
    EXPECT_EQ(item_of(run.result, "BR").detail, reason);
    EXPECT_NE(run.out.find("*** Error for BR: save (" + reason + ")\n"), std::string::npos) << run.out;
  }
  // The same on the executor's pool: the error comes back to its item.
  const auto dest = work_ / "full-pool";
  std::filesystem::create_directories(dest / "br.gif" / "inside");
  const auto pooled = run_client("flags_async", {"BR", "--save-in-pool", "-s", url(), "--dest", dest.string()}, work_);
  EXPECT_EQ(item_of(pooled.result, "BR").detail, "cannot write " + (dest / "br.gif").string() + ": Is a directory");
}
