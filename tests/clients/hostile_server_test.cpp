// The downloaders against a hostile peer (scripted_server.hpp): interim 1xx
// responses, a 200 that is not a GIF, metadata that makes no file name.
// Every client runs with -m 1, so one keep-alive connection carries every
// request and a response taken for the wrong request would show.
#include <gtest/gtest.h>

#include <filesystem>

#include "client_run.hpp"
#include "flag_files.hpp"
#include "http_client.hpp"
#include "scripted_server.hpp"
#include "services.hpp"

using namespace platespin;
using namespace platespin::test;

namespace {

std::string gif_of(const std::string& cc) { return read_file(data_root() / "flags" / cc / (cc + ".gif")); }

// "/flags/ad/ad.gif" -> "ad"; "/flags/ad/metadata.json" -> "ad"
std::string code_of(const std::string& target) { return target.substr(7, 2); }

bool wants_gif(const std::string& target) { return target.ends_with(".gif"); }

const std::string kNotFound = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::size_t errors_of(const ClientResult& r, const std::string& kind) {
  const auto at = r.errors_by_kind.find(kind);
  return at == r.errors_by_kind.end() ? 0 : at->second;
}

const ItemResult& item_of(const ClientResult& r, const std::string& cc) {
  for (const auto& item : r.items)
    if (item.cc == cc) return item;
  throw std::runtime_error("no item " + cc);
}

class HostileServer : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove_all(work_); }
  std::filesystem::path work_ = temp_dir("hostile");
};

}  // namespace

TEST_F(HostileServer, InterimResponsesAreSkippedSoNoAnswerShiftsToTheNextRequest) {
  ScriptedServer server([](const std::string& target) {
    const std::string cc = code_of(target);
    if (cc == "ad")  // 103 Early Hints, as a CDN sends before the 200
      return "HTTP/1.1 103 Early Hints\r\nLink: </flags/ad/ad.gif>; rel=preload\r\n\r\n" + ok_response(gif_of(cc));
    if (cc == "ae") return kContinue + kContinue + ok_response(gif_of(cc));  // a stray 100 Continue, twice
    return ok_response(gif_of(cc));
  });
  for (const auto& client : kClients) {
    SCOPED_TRACE(client);
    const auto dest = work_ / client;
    const auto run = run_client(client, {"AD", "AE", "AF", "-m", "1", "-s", server.url("/flags"), "--dest",
                                         dest.string()}, work_, true, 60);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.result.ok, 3u);
    EXPECT_EQ(run.result.error, 0u);
    for (const std::string cc : {"ad", "ae", "af"}) EXPECT_EQ(read_file(dest / (cc + ".gif")), gif_of(cc)) << cc;
  }
}

TEST_F(HostileServer, AFloodOfInterimResponsesOr101IsAnErrorForThatItemOnly) {
  ScriptedServer server([](const std::string& target) {
    const std::string cc = code_of(target);
    std::string flood;
    for (int i = 0; i <= kMaxInterimResponses; ++i) flood += kContinue;  // one more than allowed
    if (cc == "ad") return flood + ok_response(gif_of(cc));
    if (cc == "af") return std::string("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\n") +
                           "not HTTP any more";
    return ok_response(gif_of(cc));
  });
  for (const auto& client : kClients) {
    SCOPED_TRACE(client);
    const auto dest = work_ / client;
    const auto run = run_client(client, {"AD", "AE", "AF", "AG", "-m", "1", "-s", server.url("/flags"), "--dest",
                                         dest.string()}, work_, true, 60);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(item_of(run.result, "AD").error_kind, "protocol");
    EXPECT_EQ(item_of(run.result, "AF").error_kind, "http_101");
    EXPECT_EQ(item_of(run.result, "AE").outcome, Outcome::ok);
    EXPECT_EQ(item_of(run.result, "AG").outcome, Outcome::ok);  // on a new connection after the 101
    EXPECT_EQ(read_file(dest / "ae.gif"), gif_of("ae"));
    EXPECT_EQ(read_file(dest / "ag.gif"), gif_of("ag"));
    EXPECT_FALSE(std::filesystem::exists(dest / "ad.gif"));
  }
}

TEST_F(HostileServer, A200ThatIsNotAGifIsAContentErrorAndSavesNothing) {
  ScriptedServer server([](const std::string& target) {
    const std::string cc = code_of(target);
    if (cc == "ad") return ok_response("<html><body>Service unavailable</body></html>", "text/html");
    if (cc == "ae") return ok_response("");  // empty 200
    return ok_response(gif_of(cc));
  });
  for (const auto& client : kClients) {
    SCOPED_TRACE(client);
    const auto dest = work_ / client;
    const auto run = run_client(client, {"AD", "AE", "AF", "-m", "1", "-v", "-s", server.url("/flags"), "--dest",
                                         dest.string()}, work_, true, 60);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.result.ok, 1u);
    EXPECT_EQ(run.result.error, 2u);
    EXPECT_EQ(errors_of(run.result, "content"), 2u);
    EXPECT_NE(run.out.find("*** Error for AD: content ("), std::string::npos) << run.out;
    EXPECT_FALSE(std::filesystem::exists(dest / "ad.gif"));
    EXPECT_FALSE(std::filesystem::exists(dest / "ae.gif"));
    EXPECT_EQ(read_file(dest / "af.gif"), gif_of("af"));
  }
}

TEST_F(HostileServer, MetadataThatMakesNoFileNameNeverEndsTheRun) {
  ScriptedServer server([](const std::string& target) {
    const std::string cc = code_of(target);
    if (wants_gif(target)) return ok_response(gif_of(cc));
    if (cc == "ad") return ok_response(R"({"country": ")" + std::string(300, 'x') + R"("})", "application/json");
    if (cc == "ae") return ok_response(R"({"country": "United\u0000Arab"})", "application/json");
    if (cc == "af") return ok_response(R"({"country": "../../etc/\u0001\n\u007fx"})", "application/json");
    if (cc == "ag") return ok_response(R"({"country": "Antigua"})", "application/json");
    return kNotFound;
  });
  for (const auto& client : kClients) {
    SCOPED_TRACE(client);
    const auto dest = work_ / client;
    // A directory where AG's file goes: that one flag cannot be saved.
    std::filesystem::create_directories(dest / "Antigua-AG.gif");
    const auto run = run_client(client, {"AD", "AE", "AF", "AG", "--metadata", "-m", "1", "-s", server.url("/flags"),
                                         "--dest", dest.string()}, work_, true, 60);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.result.ok, 3u);
    EXPECT_EQ(item_of(run.result, "AG").error_kind, "save");
    EXPECT_EQ(read_file(dest / "United_Arab-AE.gif"), gif_of("ae"));  // the NUL did not cut the name
    EXPECT_EQ(read_file(dest / ".._.._etc____x-AF.gif"), gif_of("af"));  // in dest, not two levels up
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dest)) {
      ++files;
      EXPECT_LE(entry.path().filename().string().size(), kMaxFileNameBytes);
      if (entry.path().filename().string().ends_with("-AD.gif")) {
        EXPECT_EQ(read_file(entry.path()), gif_of("ad"));
      }
    }
    EXPECT_EQ(files, 4u);  // AD, AE, AF and the directory in AG's way
  }
}
