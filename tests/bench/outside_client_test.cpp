// flagbench running outside clients (command:) end to end: a small shell
// client with curl, read each way `result:` allows; the server-side counts
// beside what a client says; fixed ports; a port in use.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "flagbench_invocation.hpp"
#include "services.hpp"

using namespace platespin;
using namespace platespin::test;
namespace fs = std::filesystem;

namespace {

// A downloader in sh: one curl per code, in order; then the report its first
// argument asks for. INFLATE adds to the successes it reports (a liar).
const char* kClient = R"(mode=$1 url=$2 json=$3; shift 3
ok=0 nf=0 err=0
for cc in "$@"; do
  lc=$(printf %s "$cc" | tr A-Z a-z)
  code=$(curl -s -o /dev/null -w '%{http_code}' "$url/$lc/$lc.gif")
  case $code in 200) ok=$((ok+1));; 404) nf=$((nf+1));; *) err=$((err+1));; esac
done
ok=$((ok + ${INFLATE:-0}))
[ -n "$MARK" ] && pwd > "$MARK"
case $mode in
  flags2)
    echo "--------------------"; echo "$ok flags downloaded."
    [ $nf -gt 0 ] && echo "$nf not found."
    [ $err -gt 0 ] && echo "$err errors."
    echo "Elapsed time: 0.50s";;
  platespin)
    printf '{"schema": "platespin.result/1", "client": "client.sh", "server": "%s", "concurrency": 1, "requested": %d, "ok": %d, "not_found": %d, "error": %d, "errors_by_kind": {}, "elapsed_s": 0.5, "items_per_s": 2, "bytes": 0, "latency_ms": {"p50": 0, "p90": 0, "p99": 0, "max": 0}, "cpu_s": 0, "peak_rss_kb": 0, "started_at": "2026-12-01T00:00:00Z", "items": []}\n' \
      "$url" $((ok+nf+err)) $ok $nf $err > "$json";;
esac
)";

// A port nothing listens on now: bound to port 0, then closed.
std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  ::close(fd);
  return ntohs(a.sin_port);
}

// A socket listening on a free port until it goes away.
struct Listening {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  std::uint16_t port = 0;
  Listening() {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(::listen(fd, 8), 0);
    EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
    port = ntohs(a.sin_port);
  }
  ~Listening() { ::close(fd); }
};

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

// Every repetition's server-side counts equal what the client reported.
void expect_counts_agree(const nlohmann::json& c) {
  for (const auto& rep : c.at("repetitions")) {
    ASSERT_TRUE(rep.contains("server")) << c.at("run");
    ASSERT_TRUE(rep.contains("client")) << c.at("run");
    EXPECT_EQ(rep.at("server").at("ok"), rep.at("client").at("ok")) << c.at("run");
    EXPECT_EQ(rep.at("server").at("not_found"), rep.at("client").at("not_found")) << c.at("run");
    EXPECT_EQ(rep.at("server").at("errors"), rep.at("client").at("error")) << c.at("run");
    EXPECT_FALSE(rep.at("overclaims").get<bool>()) << c.at("run");
  }
}

const char* kScenario = R"(name: outside
proxy:
  seed: 3
  listeners:
    - {name: DELAY, behavior: "100:delay", delay: 0.01}
    - {name: ERROR, behavior: "30:error"}
runs:
  - name: json
    command: [sh, client.sh, platespin, "{url}", "{json}", "{codes}"]
    server: DELAY
    concurrency: 1
    codes: [B]
    expect: {ok: 17, not_found: 9, errors: 0}
  - name: report
    command: [sh, client.sh, flags2, "{url}", "{json}", "{codes}"]
    result: flags2
    server: ERROR
    concurrency: 1
    codes: [C]
  - name: nothing
    command: [sh, "{env:PLATESPIN_TEST_DIR}/client.sh", none, "{url}", "{json}", "{codes}"]
    env: {MARK: "{env:PLATESPIN_TEST_DIR}/mark-{concurrency}"}
    cwd: "{out}"
    result: none
    server: LOCAL
    concurrency: 2
    codes: [B]
    expect: {ok: 17, not_found: 9, errors: 0}
  - name: skipped
    command: [sh, "{env:PLATESPIN_TEST_UNSET}/client.sh"]
    server: LOCAL
    concurrency: 1
    codes: [B]
)";

}  // namespace

TEST(OutsideClient, EachResultFormWithServerSideCountsBeside) {
  const auto dir = temp_dir("fb-outside");
  write(dir, "client.sh", kClient);
  ::setenv("PLATESPIN_TEST_DIR", dir.c_str(), 1);
  ::unsetenv("PLATESPIN_TEST_UNSET");
  const Invocation r = flagbench({"run", write(dir, "s.yaml", kScenario).string(), "--out", dir.string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // A run whose {env:NAME} is unset is skipped with one line, not failed.
  EXPECT_NE(r.err.find("flagbench: skipping run skipped: PLATESPIN_TEST_UNSET is not set"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("Skipped: skipped: PLATESPIN_TEST_UNSET is not set"), std::string::npos) << r.out;
  const auto result = result_in(dir);
  EXPECT_EQ(result.at("runs").size(), 3u);
  EXPECT_EQ(result.at("skipped").size(), 1u);

  const auto& json = cell(result, "json");
  EXPECT_EQ(json.at("result"), "platespin");
  EXPECT_EQ(json.at("client"), "sh");  // not sh -c: the program
  expect_counts_agree(json);
  EXPECT_EQ(json.at("aggregate").at("server").at("ok").at("median"), 17);

  // Through seeded errors: the book's lines agree with what the proxy sent.
  const auto& report = cell(result, "report");
  EXPECT_EQ(report.at("result"), "flags2");
  expect_counts_agree(report);
  const auto& client = report.at("repetitions").at(0).at("client");
  EXPECT_GT(client.at("error").get<int>(), 0);
  EXPECT_DOUBLE_EQ(client.at("elapsed_s").get<double>(), 0.5);
  EXPECT_EQ(client.at("requested"), 26);

  // result: none: the expectations held on the server's counts; the client's column is empty.
  const auto& nothing = cell(result, "nothing");
  const auto& rep = nothing.at("repetitions").at(0);
  EXPECT_FALSE(rep.contains("client"));
  EXPECT_EQ(rep.at("server").at("ok"), 17);
  EXPECT_EQ(rep.at("server").at("not_found"), 9);
  EXPECT_GT(rep.at("cpu_s").get<double>(), 0);
  EXPECT_GT(rep.at("peak_rss_kb").get<long>(), 0);
  EXPECT_NE(r.out.find("| nothing | sh | LOCAL | 2 |"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("| — | 17 / 9 / 0 |"), std::string::npos) << r.out;
  // env: and cwd: reached the client ({out} is a scratch folder of its own).
  const std::string mark = read_file(dir / "mark-2");
  EXPECT_NE(mark.find("nothing-c2.out"), std::string::npos) << mark;
}

// A client that says it downloaded more than the server served is marked in
// the table and the JSON, and fails its run, whatever it expects.
TEST(OutsideClient, AClientClaimingMoreThanWasServedIsMarked) {
  const auto dir = temp_dir("fb-liar");
  write(dir, "client.sh", kClient);
  for (const std::string form : {"platespin", "flags2"}) {
    const auto out = dir / form;
    fs::create_directories(out);
    const auto file = write(dir, form + ".yaml", "name: liar\nruns:\n  - name: liar\n    command: [sh, client.sh, " + form +
                                                      ", \"{url}\", \"{json}\", \"{codes}\"]\n    env: {INFLATE: \"5\"}\n"
                                                      "    result: " + form + "\n    server: LOCAL\n    concurrency: 1\n"
                                                      "    codes: [B]\n");
    const Invocation r = flagbench({"run", file.string(), "--out", out.string()}, dir);
    EXPECT_EQ(r.exit_code, 1) << form << r.out << r.err;
    EXPECT_NE(r.out.find("| ⚠ 22 / 9 / 0 | 17 / 9 / 0 |"), std::string::npos) << form << r.out;
    EXPECT_NE(r.out.find("**FAIL** ok_served 17 (got 22)"), std::string::npos) << form << r.out;
    const auto rep = cell(result_in(out), "liar").at("repetitions").at(0);
    EXPECT_TRUE(rep.at("overclaims").get<bool>()) << form;
  }
}

// Our own clients on ci.yaml: what they report is what the server and the
// proxy listeners counted, cell by cell.
TEST(OutsideClient, ServerSideCountsAgreeWithOurClientsOnCi) {
  const auto dir = temp_dir("fb-ci-counts");
  const Invocation r = flagbench({"run", PLATESPIN_CONFIGS_DIR "/ci.yaml", "--out", dir.string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto result = result_in(dir);
  ASSERT_EQ(result.at("runs").size(), 4u);
  for (const auto& c : result.at("runs")) expect_counts_agree(c);
  EXPECT_NE(r.out.find("| 25 / 21 / 14 | 25 / 21 / 14 |"), std::string::npos) << r.out;
}

// A client with hard-coded URLs (the book's) runs unchanged on the ports the scenario fixes.
TEST(OutsideClient, FixedPortsAreHonoured) {
  const auto dir = temp_dir("fb-fixed");
  write(dir, "client.sh", kClient);
  const std::uint16_t server = free_port(), delay = free_port();
  const std::string text = "name: fixed\nserver: {port: " + std::to_string(server) +
                           "}\nproxy:\n  listeners:\n    - {name: DELAY, listen: \"127.0.0.1:" + std::to_string(delay) +
                           "\", behavior: \"100:delay\", delay: 0.01}\nruns:\n"
                           "  - {name: local, command: [sh, client.sh, flags2, \"http://127.0.0.1:" + std::to_string(server) +
                           "/flags\", x, BR], result: flags2, server: LOCAL, concurrency: 1, codes: [BR], expect: {ok: 1}}\n"
                           "  - {name: delay, command: [sh, client.sh, flags2, \"http://127.0.0.1:" + std::to_string(delay) +
                           "/flags\", x, BR], result: flags2, server: DELAY, concurrency: 1, codes: [BR], expect: {ok: 1}}\n";
  const Invocation r = flagbench({"run", write(dir, "s.yaml", text).string(), "--out", dir.string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto result = result_in(dir);
  EXPECT_EQ(cell(result, "local").at("url"), "http://127.0.0.1:" + std::to_string(server) + "/flags");
  EXPECT_EQ(cell(result, "delay").at("url"), "http://127.0.0.1:" + std::to_string(delay) + "/flags");
  for (const auto& c : result.at("runs")) expect_counts_agree(c);
}

TEST(OutsideClient, AFixedPortInUseIsOneLineBeforeAnythingStarts) {
  const auto dir = temp_dir("fb-taken");
  const Listening taken;
  for (const std::string& where : {"server: {port: " + std::to_string(taken.port) + "}\n",
                                  "proxy:\n  listeners:\n    - {name: DELAY, listen: \"127.0.0.1:" +
                                      std::to_string(taken.port) + "\", behavior: \"100:delay\"}\n"}) {
    const auto file = write(dir, "s.yaml", "name: taken\n" + where +
                                               "runs:\n  - {name: a, client: async, server: LOCAL, concurrency: 1, codes: [B]}\n");
    const Invocation r = flagbench({"run", file.string(), "--out", dir.string()}, dir);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find("flagbench: 127.0.0.1:" + std::to_string(taken.port) + ", fixed for "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("is not free (Address already in use)"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("LOCAL:"), std::string::npos) << "a service was started: " << r.err;
  }
}

TEST(OutsideClient, AnUnknownPlaceholderExitsTwoWithItsPlace) {
  const auto dir = temp_dir("fb-placeholder");
  const auto file = write(dir, "s.yaml", replaced(kScenario, "\"{url}\", \"{json}\", \"{codes}\"]\n    result: flags2",
                                                 "\"{server}\", \"{json}\", \"{codes}\"]\n    result: flags2"));
  for (const char* command : {"validate", "run"}) {
    const Invocation r = flagbench({command, file.string()}, dir);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.err.rfind("flagbench: " + file.string() + ":15:38: 'command': unknown placeholder {server} (known: {url}",
                          0),
              0u)
        << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}
