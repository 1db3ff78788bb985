#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "peers_report.hpp"

using namespace platespin::bench;
using nlohmann::json;

namespace {

// A document as bench/peers/platespin_peers writes it: one comparison, a row with a peer,
// a row without one, a peer left out.
json document() {
  return json::parse(R"({
    "schema": "platespin.peers/1",
    "command": "python3 -m platespin_peers server_vs_nginx build/release",
    "started_at": "2026-12-01T17:29:00Z", "finished_at": "2026-12-01T17:34:00Z",
    "machine": {"hostname": "vm", "cores": 2, "cpu": "Xeon", "kernel": "6.1", "memory_mb": 3900},
    "load_before": [0.5, 0.7, 1.1], "load_after": [1.6, 1.0, 1.2],
    "settings": {"ROUNDS": 5, "DURATION": "8s"},
    "comparisons": [{
      "name": "server_vs_nginx", "title": "flag_server against nginx", "setup": "wrk -t1, one worker each",
      "left_out": ["Toxiproxy left out: no Go"], "notes": ["a note"],
      "rows": [
        {"measure": "keep-alive, 64 connections", "unit": "req/s", "ours": "flag_server", "ours_value": 97658.4,
         "peer": "nginx", "peer_value": 62929, "ratio": 1.5519, "rounds": [{"ours": 97658.4, "peer": 62929}],
         "headline": "static files, 64 keep-alive conns"},
        {"measure": "direct | loopback", "unit": "ms p99", "ours": "flag_server", "ours_value": 1.678,
         "peer": null, "peer_value": null, "ratio": null, "rounds": [{"ours": 1.678, "peer": null}]},
        {"measure": "lateness", "unit": "ms p50 late", "ours": "chaos_proxy", "ours_value": -0.4,
         "peer": "haproxy", "peer_value": null, "ratio": null, "rounds": []}
      ]}]
  })");
}

std::string message_of(const json& j) {
  try {
    peers_from_json(j);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(PeersReport, RendersEachRowWithItsPeerAndRatio) {
  const std::string md = peers_markdown(peers_from_json(document()));
  EXPECT_NE(md.find("### flag_server against nginx\n\nwrk -t1, one worker each.\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| measure | unit | ours | value | peer | value | ours ÷ peer |"), std::string::npos) << md;
  EXPECT_NE(md.find("| keep-alive, 64 connections | req/s | flag_server | 97,658 | nginx | 62,929 | 1.55× |"),
            std::string::npos)
      << md;
  // No peer: dashes, and a "|" in a name does not end the cell.
  EXPECT_NE(md.find("| direct \\| loopback | ms p99 | flag_server | 1.68 | – | – | – |"), std::string::npos) << md;
  // A peer that produced no value in any round.
  EXPECT_NE(md.find("| lateness | ms p50 late | chaos_proxy | -0.40 | haproxy | n/a | – |"), std::string::npos) << md;
  EXPECT_NE(md.find("- left out: Toxiproxy left out: no Go\n- a note\n"), std::string::npos) << md;
}

TEST(PeersReport, SaysWhereTheRunHappened) {
  const std::string md = peers_markdown(peers_from_json(document()));
  EXPECT_NE(md.find("2026-12-01T17:29:00Z"), std::string::npos) << md;
  EXPECT_NE(md.find("`python3 -m platespin_peers server_vs_nginx build/release` (DURATION=8s ROUNDS=5)"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("vm: 2 cores, Xeon; load average 0.5 0.7 1.1 before, 1.6 1 1.2 after"), std::string::npos) << md;
}

TEST(PeersReport, TheHeadlineTableHasOnlyTheHeadlineRowsAndTheirCommands) {
  EXPECT_EQ(peers_headline_table(peers_from_json(document())),
            "| what | command | platespin | peer | ratio |\n"
            "| --- | --- | ---: | ---: | ---: |\n"
            "| static files, 64 keep-alive conns | `bench/peers/server_vs_nginx` | 97,658 req/s | nginx 62,929 | 1.55× |\n");
}

TEST(PeersReport, NamesTheFieldThatIsMissingOrWrong) {
  json j = document();
  j["comparisons"][0]["rows"][1].erase("measure");
  EXPECT_EQ(message_of(j), "comparisons[0].rows[1]: missing \"measure\"");
  j = document();
  j["comparisons"][0]["rows"][0]["ours_value"] = "fast";
  EXPECT_EQ(message_of(j), "comparisons[0].rows[0].ours_value: not a number or null");
  j = document();
  j["comparisons"] = json::object();
  EXPECT_EQ(message_of(j), "document.comparisons: not a list");
  j = document();
  j["schema"] = "platespin.peers/2";
  EXPECT_EQ(message_of(j), "document: not a platespin.peers/1 document");
}

TEST(PeersReport, ReadsOnlyPeersDocuments) {
  const auto dir = std::filesystem::temp_directory_path() / "peers-report-test";
  std::filesystem::create_directories(dir);
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  EXPECT_TRUE(read_peers_document(write("peers.json", document().dump())).has_value());
  EXPECT_FALSE(read_peers_document(write("bench.json", R"({"schema": "platespin.bench/1"})")).has_value());
  const auto broken = write("broken.json", R"({"schema": "platespin.peers/1", "command": "x"})");
  EXPECT_THROW(read_peers_document(broken), std::runtime_error);
  try {
    read_peers_document(broken);
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), broken + ": document: missing \"started_at\"");
  }
  std::filesystem::remove_all(dir);
}
