// Where the downloaders and spinners behave as the book's scripts do
// (flags2_common.py, flags2_*.py, flags3_asyncio.py, flags2_asyncio_executor.py),
// checked on the real binaries against the real flag_server and chaos_proxy.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <algorithm>

#include "client_run.hpp"
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
