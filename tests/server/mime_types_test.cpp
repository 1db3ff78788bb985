#include "mime_types.hpp"

#include <gtest/gtest.h>

using platespin::mime_type_for;

TEST(MimeTypes, KnownExtensions) {
  EXPECT_EQ(mime_type_for("/flags/ad/ad.gif"), "image/gif");
  EXPECT_EQ(mime_type_for("/flags/ad/metadata.json"), "application/json");
  EXPECT_EQ(mime_type_for("a.png"), "image/png");
  EXPECT_EQ(mime_type_for("a.svg"), "image/svg+xml");
  EXPECT_EQ(mime_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(mime_type_for("readme.txt"), "text/plain; charset=utf-8");
}

TEST(MimeTypes, ExtensionCaseDoesNotMatter) {
  EXPECT_EQ(mime_type_for("/flags/AD/AD.GIF"), "image/gif");
  EXPECT_EQ(mime_type_for("x.Json"), "application/json");
}

TEST(MimeTypes, AnythingElseIsOctetStream) {
  EXPECT_EQ(mime_type_for("/flags/ad/ad"), "application/octet-stream");
  EXPECT_EQ(mime_type_for("/flags/ad.d/file"), "application/octet-stream");
  EXPECT_EQ(mime_type_for("archive.tar.gz"), "application/octet-stream");
  EXPECT_EQ(mime_type_for("gif"), "application/octet-stream");
  EXPECT_EQ(mime_type_for("trailing."), "application/octet-stream");
}
