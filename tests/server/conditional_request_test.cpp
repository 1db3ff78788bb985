#include "conditional_request.hpp"

#include <gtest/gtest.h>

using namespace platespin;

constexpr std::time_t kMtime = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT

TEST(ConditionalRequest, EtagIsMtimeAndSizeInHex) {
  EXPECT_EQ(make_etag(0x4312e3f0, 0x173), "\"4312e3f0-173\"");
  EXPECT_NE(make_etag(kMtime, 10), make_etag(kMtime, 11));
  EXPECT_NE(make_etag(kMtime, 10), make_etag(kMtime + 1, 10));
}

TEST(ConditionalRequest, FormatsImfFixdate) {
  EXPECT_EQ(format_http_date(kMtime), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(format_http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

TEST(ConditionalRequest, ParsesTheThreeDateForms) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), kMtime);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), kMtime);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), kMtime);
  EXPECT_EQ(parse_http_date(format_http_date(1700000000)), 1700000000);
}

TEST(ConditionalRequest, RejectsOtherDates) {
  EXPECT_EQ(parse_http_date(""), std::nullopt);
  EXPECT_EQ(parse_http_date("yesterday"), std::nullopt);
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT trailing"), std::nullopt);
  EXPECT_EQ(parse_http_date("1994-11-06T08:49:37Z"), std::nullopt);
}

TEST(ConditionalRequest, IfNoneMatch) {
  const std::string etag = make_etag(kMtime, 371);
  EXPECT_TRUE(is_not_modified(etag, "", etag, kMtime));
  EXPECT_TRUE(is_not_modified("W/" + etag, "", etag, kMtime));
  EXPECT_TRUE(is_not_modified("\"other\", " + etag, "", etag, kMtime));
  EXPECT_TRUE(is_not_modified("*", "", etag, kMtime));
  EXPECT_FALSE(is_not_modified("\"other\"", "", etag, kMtime));
  EXPECT_FALSE(is_not_modified("\"other\", W/\"x\"", "", etag, kMtime));
}

TEST(ConditionalRequest, IfNoneMatchOverridesIfModifiedSince) {
  const std::string etag = make_etag(kMtime, 371);
  EXPECT_FALSE(is_not_modified("\"other\"", format_http_date(kMtime + 100), etag, kMtime));
}

TEST(ConditionalRequest, IfModifiedSince) {
  const std::string etag = make_etag(kMtime, 371);
  EXPECT_TRUE(is_not_modified("", format_http_date(kMtime), etag, kMtime));
  EXPECT_TRUE(is_not_modified("", format_http_date(kMtime + 3600), etag, kMtime));
  EXPECT_FALSE(is_not_modified("", format_http_date(kMtime - 1), etag, kMtime));
  EXPECT_FALSE(is_not_modified("", "not a date", etag, kMtime));
  EXPECT_FALSE(is_not_modified("", "", etag, kMtime));
}

// RFC 9110 §13.2.2: If-Match, else If-Unmodified-Since (412); then If-None-Match, else If-Modified-Since (304).
TEST(ConditionalRequest, PreconditionsInTheRfcsOrder) {
  const std::string etag = make_etag(kMtime, 371);
  const auto outcome = [&](Preconditions p) { return evaluate_preconditions(p, etag, kMtime); };
  using O = PreconditionOutcome;
  EXPECT_EQ(outcome({}), O::proceed);
  EXPECT_EQ(outcome({.if_match = etag}), O::proceed);
  EXPECT_EQ(outcome({.if_match = "*"}), O::proceed);
  EXPECT_EQ(outcome({.if_match = "\"a\", " + etag}), O::proceed);
  EXPECT_EQ(outcome({.if_match = "\"other\""}), O::failed);
  EXPECT_EQ(outcome({.if_match = "W/" + etag}), O::failed) << "If-Match compares strongly";
  EXPECT_EQ(outcome({.if_unmodified_since = format_http_date(kMtime)}), O::proceed);
  EXPECT_EQ(outcome({.if_unmodified_since = format_http_date(kMtime - 1)}), O::failed);
  EXPECT_EQ(outcome({.if_unmodified_since = "not a date"}), O::proceed) << "an invalid date is ignored";
  // If-Match decides alone: If-Unmodified-Since is not looked at.
  EXPECT_EQ(outcome({.if_match = etag, .if_unmodified_since = format_http_date(kMtime - 1)}), O::proceed);
  // A failed precondition wins over a 304.
  EXPECT_EQ(outcome({.if_match = "\"other\"", .if_none_match = etag}), O::failed);
  EXPECT_EQ(outcome({.if_unmodified_since = format_http_date(kMtime - 1), .if_modified_since = format_http_date(kMtime)}),
            O::failed);
  EXPECT_EQ(outcome({.if_match = etag, .if_none_match = etag}), O::not_modified);
  EXPECT_EQ(outcome({.if_modified_since = format_http_date(kMtime)}), O::not_modified);
}

TEST(ConditionalRequest, IfRangeComparesStrongly) {
  const std::string etag = make_etag(kMtime, 371);
  const std::time_t later = kMtime + 10;
  EXPECT_TRUE(if_range_holds(etag, etag, kMtime, later));
  EXPECT_FALSE(if_range_holds("W/" + etag, etag, kMtime, later));
  EXPECT_FALSE(if_range_holds("\"other\"", etag, kMtime, later));
  EXPECT_TRUE(if_range_holds(format_http_date(kMtime), etag, kMtime, later));
  EXPECT_FALSE(if_range_holds(format_http_date(kMtime + 1), etag, kMtime, later)) << "a date must match exactly";
  EXPECT_FALSE(if_range_holds(format_http_date(kMtime), etag, kMtime, kMtime)) << "a Last-Modified of now is weak";
  EXPECT_FALSE(if_range_holds("not a date", etag, kMtime, later));
}
