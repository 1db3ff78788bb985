#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "result.hpp"
#include "stats.hpp"

using namespace platespin;

TEST(Stats, NearestRankPercentiles) {
  std::vector<double> samples;
  for (int i = 1; i <= 100; ++i) samples.push_back(i);
  const auto p = summarize(samples);
  EXPECT_EQ(p.p50, 50);
  EXPECT_EQ(p.p90, 90);
  EXPECT_EQ(p.p99, 99);
  EXPECT_EQ(p.max, 100);
  EXPECT_EQ(summarize({}).p99, 0);
}

TEST(Stats, MedianOfEvenAndOddCounts) {
  EXPECT_EQ(median({3, 1, 2}), 2);
  EXPECT_EQ(median({4, 1, 2, 3}), 2.5);
}

TEST(Result, TallyCountsEveryItemAndRoundTripsThroughJson) {
  ClientResult r;
  r.client = "flags_async";
  r.elapsed_s = 2;
  r.items = {{"AD", 200, Outcome::ok, "", "", 100, 5, 1, 0.25, {}},
             {"AA", 404, Outcome::not_found, "", "", 10, 7, 1, std::nullopt, {}},  // as an older file
             {"BR", 503, Outcome::error, "http_503", "503 Service Unavailable", 0, 9, 2, 7.5,
              {{"metadata", 7.5, 1.5}, {"flag", 9.5, 6}}}};
  r.tally();
  EXPECT_EQ(r.ok + r.not_found + r.error, r.requested);
  EXPECT_EQ(r.errors_by_kind.at("http_503"), 1u);
  EXPECT_EQ(r.items_per_s, 1.5);
  const nlohmann::json j = r;
  EXPECT_EQ(j.at("schema"), kResultSchema);
  const auto back = j.get<ClientResult>();
  EXPECT_EQ(back.items.at(2).error_kind, "http_503");
  EXPECT_EQ(back.items.at(0).start_ms, 0.25);
  EXPECT_FALSE(back.items.at(1).start_ms);
  EXPECT_FALSE(j.at("items").at(1).contains("start_ms"));
  ASSERT_EQ(back.items.at(2).stages.size(), 2u);
  EXPECT_EQ(back.items.at(2).stages.at(1).name, "flag");
  EXPECT_EQ(back.items.at(2).stages.at(1).start_ms, 9.5);
  EXPECT_EQ(back.items.at(2).stages.at(1).length_ms, 6);
  EXPECT_EQ(back.latency_ms.max, 9);
  EXPECT_THROW(nlohmann::json({{"schema", "other"}}).get<ClientResult>(), std::invalid_argument);
}

// nlohmann casts any number into an integer field: 1e300 or -9.3e18 into a
// count was undefined behaviour, -1 wrapped to 2^64-1 (found by fuzz_client_result).
TEST(Result, CountsMustBeWholeNumbersInRange) {
  ClientResult r;
  r.client = "flags_async";
  r.items = {{"BR", 503, Outcome::error, "http_503", "HTTP 503", 0, 9, 1, 0, {}}};
  r.tally();
  const nlohmann::json good = r;
  EXPECT_NO_THROW(good.get<ClientResult>());
  for (const auto& [field, value] : std::vector<std::pair<std::string, nlohmann::json>>{
           {"requested", -9.3e18}, {"requested", -1}, {"concurrency", 1e300}, {"concurrency", 2.5},
           {"concurrency", 4294967296}, {"bytes", "12"}, {"peak_rss_kb", 1e19}}) {
    nlohmann::json bad = good;
    bad[field] = value;
    EXPECT_THROW(bad.get<ClientResult>(), std::invalid_argument) << field << " " << value;
  }
  nlohmann::json bad_item = good;
  bad_item["items"][0]["status"] = 1e10;
  EXPECT_THROW(bad_item.get<ClientResult>(), std::invalid_argument);
  nlohmann::json bad_kind = good;
  bad_kind["errors_by_kind"]["http_503"] = -1e20;
  EXPECT_THROW(bad_kind.get<ClientResult>(), std::invalid_argument);
}

// Counts are derived from the items: written so, and a document whose counts
// its items contradict is refused, naming the field.
TEST(Result, CountsFollowTheItems) {
  ClientResult r;
  r.client = "flags_async";
  r.elapsed_s = 1;
  r.items = {{"AD", 200, Outcome::ok, "", "", 100, 5, 1, 0, {}}, {"BR", 503, Outcome::error, "http_503", "", 0, 9, 1, 0, {}}};
  r.ok = 7;  // stale: never tallied
  const nlohmann::json written = r;
  EXPECT_EQ(written.at("ok"), 1);
  EXPECT_EQ(written.at("requested"), 2);
  EXPECT_EQ(written.at("items_per_s"), 2);
  EXPECT_EQ(written.at("errors_by_kind").at("http_503"), 1);
  EXPECT_NO_THROW(written.get<ClientResult>());
  for (const auto& [field, value] : std::vector<std::pair<std::string, nlohmann::json>>{
           {"ok", 2}, {"requested", 3}, {"error", 0}, {"not_found", 1}, {"bytes", 99},
           {"errors_by_kind", {{"timeout", 1}}}}) {
    nlohmann::json lying = written;
    lying[field] = value;
    try {
      lying.get<ClientResult>();
      ADD_FAILURE() << field << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("'" + field + "'"), std::string::npos) << e.what();
    }
  }
  // A client that reports counts alone (no items) is taken at its word.
  nlohmann::json counts_only = written;
  counts_only["items"] = nlohmann::json::array();
  counts_only["ok"] = 40;
  EXPECT_EQ(counts_only.get<ClientResult>().ok, 40u);
}
