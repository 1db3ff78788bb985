// Range fields (RFC 9110 §14.1.2) against a representation's size.
#include "byte_range.hpp"

#include <gtest/gtest.h>

using namespace platespin;
using Kind = RangeRequest::Kind;

namespace {

void expect_partial(std::string_view range, std::uint64_t size, std::uint64_t first, std::uint64_t length) {
  const RangeRequest r = parse_range(range, size);
  EXPECT_EQ(r.kind, Kind::partial) << range;
  EXPECT_EQ(r.first, first) << range;
  EXPECT_EQ(r.length, length) << range;
}

TEST(ByteRange, TheThreeFormsOfOneRange) {
  expect_partial("bytes=0-10", 100, 0, 11);
  expect_partial("bytes=-10", 100, 90, 10);
  expect_partial("bytes=10-", 100, 10, 90);
  expect_partial("bytes=99-99", 100, 99, 1);
}

TEST(ByteRange, ALastPositionPastTheEndIsCut) {
  expect_partial("bytes=90-1000", 100, 90, 10);
  expect_partial("bytes=-1000", 100, 0, 100);
  expect_partial("bytes=0-18446744073709551615", 100, 0, 100);
}

TEST(ByteRange, UnitIsCaseInsensitiveAndSpacesAroundAreAllowed) {
  expect_partial("Bytes=1-2", 100, 1, 2);
  expect_partial(" bytes = 1-2 ", 100, 1, 2);
}

TEST(ByteRange, AFirstPositionAtOrPastTheEndIsUnsatisfiable) {
  EXPECT_EQ(parse_range("bytes=100-", 100).kind, Kind::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=100-200", 100).kind, Kind::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=-0", 100).kind, Kind::unsatisfiable);
}

TEST(ByteRange, AnythingElseMeansTheWholeFile) {
  for (const std::string_view range :
       {"", "bytes", "bytes=", "bytes=-", "bytes=5-1", "bytes=a-b", "bytes=1-2,4-5", "bytes=0-0, -1", "items=0-1",
        "bytes=18446744073709551616-", "bytes=+1-2", "bytes=1--2", "=0-1"})
    EXPECT_EQ(parse_range(range, 100).kind, Kind::whole) << range;
}

TEST(ByteRange, AnEmptyFileIsSentWhole) {
  EXPECT_EQ(parse_range("bytes=0-", 0).kind, Kind::whole);
  EXPECT_EQ(parse_range("bytes=-5", 0).kind, Kind::whole);
}

}  // namespace
