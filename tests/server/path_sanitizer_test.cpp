#include "path_sanitizer.hpp"

#include <gtest/gtest.h>

using platespin::normalize_prefix;
using platespin::sanitize_target;

TEST(PathSanitizer, KeepsCleanPaths) {
  EXPECT_EQ(sanitize_target("/flags/ad/ad.gif"), "/flags/ad/ad.gif");
  EXPECT_EQ(sanitize_target("/"), "/");
  EXPECT_EQ(sanitize_target("/healthz"), "/healthz");
}

TEST(PathSanitizer, DropsQueryFragmentDotAndEmptySegments) {
  EXPECT_EQ(sanitize_target("/flags/ad/ad.gif?x=1&y=/../.."), "/flags/ad/ad.gif");
  EXPECT_EQ(sanitize_target("/flags/ad/ad.gif#top"), "/flags/ad/ad.gif");
  EXPECT_EQ(sanitize_target("//flags///ad/./ad.gif"), "/flags/ad/ad.gif");
  EXPECT_EQ(sanitize_target("/flags/ad/"), "/flags/ad");
}

TEST(PathSanitizer, ResolvesDotDotInsideTheRoot) {
  EXPECT_EQ(sanitize_target("/flags/br/../ad/ad.gif"), "/flags/ad/ad.gif");
  EXPECT_EQ(sanitize_target("/flags/%2e%2e/flags/ad/ad.gif"), "/flags/ad/ad.gif");
  EXPECT_EQ(sanitize_target("/flags/.."), "/");
}

TEST(PathSanitizer, RefusesToClimbAboveTheRoot) {
  EXPECT_EQ(sanitize_target("/.."), std::nullopt);
  EXPECT_EQ(sanitize_target("/flags/../../etc/passwd"), std::nullopt);
  EXPECT_EQ(sanitize_target("/flags/%2e%2e/%2e%2e/etc/passwd"), std::nullopt);
  EXPECT_EQ(sanitize_target("/flags/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd"), std::nullopt);
  EXPECT_EQ(sanitize_target("/flags/..%2f..%2fetc/passwd"), std::nullopt);
}

TEST(PathSanitizer, DecodesEscapedSlashesAsSeparators) {
  EXPECT_EQ(sanitize_target("/flags%2fad%2fad.gif"), "/flags/ad/ad.gif");
  EXPECT_EQ(sanitize_target("/flags/a%20b.gif"), "/flags/a b.gif");
}

TEST(PathSanitizer, RefusesBackslashNulAndBadEscapes) {
  EXPECT_EQ(sanitize_target("/flags/..\\..\\etc\\passwd"), std::nullopt);
  EXPECT_EQ(sanitize_target("/flags/%5c..%5cetc"), std::nullopt);
  EXPECT_EQ(sanitize_target("/flags/ad/ad.gif%00.txt"), std::nullopt);
  EXPECT_EQ(sanitize_target(std::string_view("/flags/ad\0x", 11)), std::nullopt);
  EXPECT_EQ(sanitize_target("/flags/%zz"), std::nullopt);
  EXPECT_EQ(sanitize_target("/flags/%2"), std::nullopt);
}

TEST(PathSanitizer, TakesOriginAndAbsoluteFormOnly) {
  EXPECT_EQ(sanitize_target("http://127.0.0.1:8001/flags/ad/ad.gif"), "/flags/ad/ad.gif");
  EXPECT_EQ(sanitize_target("http://host"), "/");
  EXPECT_EQ(sanitize_target("http://host/../etc/passwd"), std::nullopt);
  EXPECT_EQ(sanitize_target("flags/ad/ad.gif"), std::nullopt);
  EXPECT_EQ(sanitize_target("*"), std::nullopt);
  EXPECT_EQ(sanitize_target(""), std::nullopt);
}

TEST(PathSanitizer, NormalizesPrefixes) {
  EXPECT_EQ(normalize_prefix("/flags"), "/flags");
  EXPECT_EQ(normalize_prefix("/flags/"), "/flags");
  EXPECT_EQ(normalize_prefix("flags"), "/flags");
  EXPECT_EQ(normalize_prefix("/"), "");
}
