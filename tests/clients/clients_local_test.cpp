// The downloaders against the real flag_server on port 0 (the book's LOCAL).
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <set>

#include "client_run.hpp"
#include "country_codes.hpp"
#include "services.hpp"

using namespace platespin;
using namespace platespin::test;

namespace {

class LocalServer : public FlagServerSuite {
 protected:
  static std::string url() { return server_->url(0, "/flags"); }
};

std::size_t count_lines(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

}  // namespace

TEST_F(LocalServer, EveryCodeGives194Flags482NotFoundAndByteExactFiles) {
  for (const auto& client : kClients) {
    SCOPED_TRACE(client);
    const auto dest = work_ / (client + "-flags");
    const auto run = run_client(client, {"-e", "-s", url(), "-m", "50", "--dest", dest.string()}, work_);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.result.requested, 676u);
    EXPECT_EQ(run.result.ok, 194u);
    EXPECT_EQ(run.result.not_found, 482u);
    EXPECT_EQ(run.result.error, 0u);
    EXPECT_EQ(run.result.client, client);
    EXPECT_EQ(run.result.concurrency, client == "flags_sequential" ? 1 : 50);
    EXPECT_NE(run.out.find("URL site: " + url() + "\nSearching for 676 flags: from AA to ZZ\n"), std::string::npos)
        << run.out;
    EXPECT_NE(run.out.find("--------------------\n194 flags downloaded.\n482 not found.\nElapsed time: "),
              std::string::npos) << run.out;
    expect_saved_flags(dest, 194);
    // A rerun overwrites cleanly: still 194 files, no temporaries left.
    const auto again = run_client(client, {"-a", "-s", url(), "-l", "20", "--dest", dest.string()}, work_);
    EXPECT_EQ(again.result.ok, 20u);
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dest), std::filesystem::directory_iterator{}), 194);
  }
}

TEST_F(LocalServer, AllLettersLimitAndTheDefaultTwenty) {
  const auto all = run_client("flags_threadpool", {"-a", "-s", url(), "--no-save"}, work_);
  EXPECT_EQ(all.result.ok, 194u);
  EXPECT_EQ(all.result.requested, 194u);
  EXPECT_EQ(all.result.concurrency, 30);  // the book's default for the thread pool

  const auto letters = run_client("flags_async", {"b", "C", "zw", "-s", url(), "--no-save"}, work_);
  const auto& book = book_country_codes();
  const auto in_book = std::count_if(book.begin(), book.end(), [](const std::string& cc) { return cc[0] == 'B' || cc[0] == 'C'; });
  EXPECT_EQ(letters.result.requested, 53u);
  EXPECT_EQ(letters.result.ok, static_cast<std::size_t>(in_book) + 1);
  EXPECT_EQ(letters.result.concurrency, 5);  // the book's default for asyncio

  const auto limited = run_client("flags_sequential", {"-e", "-l", "7", "-s", url(), "--no-save"}, work_);
  EXPECT_EQ(limited.result.requested, 7u);
  EXPECT_NE(limited.out.find("Searching for 7 flags: AA, AB, AC, AD, AE, AF, AG\n"), std::string::npos) << limited.out;

  const auto top20 = run_client("flags_async", {"-s", url(), "--no-save", "-v"}, work_);
  EXPECT_EQ(top20.result.ok, 20u);
  EXPECT_NE(top20.out.find("Searching for 20 flags: from BD to VN\n"), std::string::npos);
  EXPECT_NE(top20.out.find("\nBR OK\n"), std::string::npos) << top20.out;  // -v: each code's outcome
}

TEST_F(LocalServer, JsonResultFollowsTheSchema) {
  const auto run = run_client("flags_async", {"B", "-s", url(), "--no-save", "--json", "-"}, work_, false);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto j = nlohmann::json::parse(run.out);  // stdout is only the JSON
  EXPECT_EQ(j.at("schema"), "platespin.result/1");
  for (const char* key : {"client", "server", "server_label", "concurrency", "requested", "ok", "not_found", "error",
                          "errors_by_kind", "elapsed_s", "items_per_s", "bytes", "latency_ms", "cpu_s",
                          "peak_rss_kb", "started_at", "items"})
    EXPECT_TRUE(j.contains(key)) << key;
  const auto r = j.get<ClientResult>();
  EXPECT_EQ(r.ok + r.not_found + r.error, r.requested);
  EXPECT_EQ(r.items.size(), 26u);
  EXPECT_EQ(r.items.front().cc, "BA");
  EXPECT_GT(r.bytes, 0u);
  EXPECT_GT(r.peak_rss_kb, 0);
  EXPECT_EQ(r.started_at.size(), 20u);
  EXPECT_NE(run.err.find("flags downloaded."), std::string::npos);  // the report moved to stderr
}

TEST_F(LocalServer, RepeatKeepAliveOffAndMetadataNames) {
  const auto repeated = run_client("flags_async", {"BR", "US", "-s", url(), "--repeat", "3", "--no-keep-alive",
                                                   "--no-save"}, work_);
  EXPECT_EQ(repeated.result.requested, 6u);
  EXPECT_EQ(repeated.result.ok, 6u);

  for (const auto& client : kClients) {
    const auto dest = work_ / ("meta-" + client);
    const auto run = run_client(client, {"BR", "US", "ZZ", "--metadata", "-s", url(), "--dest", dest.string()}, work_);
    EXPECT_EQ(run.result.ok, 2u) << client;
    EXPECT_EQ(run.result.not_found, 1u) << client;
    EXPECT_EQ(read_file(dest / "Brazil-BR.gif"), read_file(data_root() / "flags/br/br.gif")) << client;
    EXPECT_TRUE(std::filesystem::exists(dest / "United_States_of_America-US.gif")) << client;
  }
}

// The report's timeline draws each item from start_ms; one request at a time
// means each starts after the one before has its answer.
TEST_F(LocalServer, ItemsCarryTheirStartAndWithMetadataEachStage) {
  for (const auto& client : kClients) {
    const auto run = run_client(client, {"BR", "US", "ZZ", "--metadata", "-s", url(), "--no-save"}, work_);
    ASSERT_EQ(run.result.items.size(), 3u) << client;
    for (const auto& item : run.result.items) {
      ASSERT_TRUE(item.start_ms) << client << " " << item.cc;
      EXPECT_GE(*item.start_ms, 0) << client;
      EXPECT_LE(*item.start_ms + item.latency_ms, run.result.elapsed_s * 1000) << client;
      ASSERT_FALSE(item.stages.empty()) << client << " " << item.cc;
      EXPECT_EQ(item.stages.front().name, "flag");  // the book's flags3: the GIF first
      EXPECT_DOUBLE_EQ(item.stages.front().start_ms, *item.start_ms);
      for (const auto& stage : item.stages) EXPECT_GT(stage.length_ms, 0) << client;
    }
    const auto& br = run.result.items[0];
    ASSERT_EQ(br.stages.size(), 2u) << client;
    EXPECT_EQ(br.stages[1].name, "metadata");
    EXPECT_GE(br.stages[1].start_ms, br.stages[0].start_ms + br.stages[0].length_ms);
    EXPECT_EQ(run.result.items[2].stages.size(), 1u) << client;  // ZZ: the GIF is a 404, no metadata.json asked for
  }
  const auto sequential = run_client("flags_sequential", {"B", "-s", url(), "--no-save"}, work_);
  const auto& items = sequential.result.items;
  ASSERT_EQ(items.size(), 26u);
  for (std::size_t i = 1; i < items.size(); ++i)
    EXPECT_GE(*items[i].start_ms, *items[i - 1].start_ms + items[i - 1].latency_ms) << items[i].cc;
  EXPECT_TRUE(items.front().stages.empty());  // stages only with --metadata
}

TEST_F(LocalServer, ServerDownMeansEveryItemRefusedAndExitZero) {
  Service gone = start_flag_server();
  const std::string dead_url = gone.url(0, "/flags");
  gone.process->signal(SIGTERM);
  gone.process->wait();
  for (const auto& client : kClients) {
    const auto run = run_client(client, {"-s", dead_url, "--no-save"}, work_);
    EXPECT_EQ(run.exit_code, 0) << client;
    EXPECT_EQ(run.result.error, 20u) << client;
    EXPECT_EQ(run.result.errors_by_kind.at("refused"), 20u) << client;
    EXPECT_NE(run.out.find("0 flags downloaded.\n20 errors.\n"), std::string::npos) << run.out;
  }
}

TEST(ClientUsage, OurOwnChecksAreBookUsageErrors) {
  // The book's own checks exit 1 with the message and the usage on stdout
  // (book_parity_test.cpp has the book's; these are ours).
  const auto work = temp_dir("usage");
  const std::vector<std::vector<std::string>> bad{{"-s", "http://"}, {"--timeout", "0"}, {"--retries=-1"},
                                                  {"--site", "nolabel"}};
  for (const auto& client : kClients)
    for (const auto& args : bad) {
      const auto run = run_client(client, args, work, false);
      EXPECT_EQ(run.exit_code, 1) << client << " " << args[0];
      EXPECT_EQ(run.out.rfind("*** Usage error: ", 0), 0u) << run.out;
      EXPECT_EQ(count_lines(run.out), 2u) << run.out;
      EXPECT_TRUE(run.err.empty()) << run.err;
    }
  const auto unknown = run_client("flags_async", {"--bogus"}, work, false);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(count_lines(unknown.err), 2u);  // argparse's: the usage, then the error
  const auto help = run_client("flags_sequential", {"--help"}, work, false);
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--max-req"), std::string::npos);
  const auto version = run_client("flags_threadpool", {"--version"}, work, false);
  EXPECT_EQ(version.out, "flags_threadpool " PLATESPIN_VERSION "\n");
  std::filesystem::remove_all(work);
}
