#include "mime_types.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <utility>

using platespin::mime_type_for;

namespace {

// The built-in table alone, whatever /etc/mime.types says.
std::string_view builtin_type_for(std::string_view path) {
  static const platespin::MimeTypes builtin;
  return builtin.type_for(path);
}

}  // namespace

// Known extensions, in any case; anything else is application/octet-stream.
TEST(MimeTypes, TheBuiltInTable) {
  const std::pair<const char*, const char*> expected[] = {
      {"/flags/ad/ad.gif", "image/gif"},
      {"/flags/ad/metadata.json", "application/json"},
      {"a.png", "image/png"},
      {"a.svg", "image/svg+xml"},
      {"index.html", "text/html; charset=utf-8"},
      {"readme.txt", "text/plain; charset=utf-8"},
      {"/flags/AD/AD.GIF", "image/gif"},
      {"x.Json", "application/json"},
      {"/flags/ad/ad", "application/octet-stream"},
      {"/flags/ad.d/file", "application/octet-stream"},
      {"archive.tar.gz", "application/octet-stream"},
      {"gif", "application/octet-stream"},
      {"trailing.", "application/octet-stream"},
  };
  for (const auto& [path, type] : expected) EXPECT_EQ(builtin_type_for(path), type) << path;
}

TEST(MimeTypes, AMimeTypesFileWinsOverTheBuiltInTable) {
  platespin::MimeTypes types;
  std::istringstream file(
      "# comment line\n"
      "text/css\t\t\t\tcss\n"
      "font/woff2 woff2\n"
      "image/webp webp # trailing comment\n"
      "application/x-not-gif gif\n"
      "application/x-no-extensions\n");
  types.read(file);
  EXPECT_EQ(types.type_for("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(types.type_for("a.WOFF2"), "font/woff2");
  EXPECT_EQ(types.type_for("a.webp"), "image/webp");
  EXPECT_EQ(types.type_for("a.gif"), "application/x-not-gif");
  EXPECT_EQ(types.type_for("a.png"), "image/png") << "the built-in table still answers";
  EXPECT_EQ(types.type_for("a.comment"), "application/octet-stream");
}

TEST(MimeTypes, TheSystemTableReadsEtcMimeTypes) {
  if (!std::ifstream("/etc/mime.types")) GTEST_SKIP() << "/etc/mime.types is absent (Debian package media-types)";
  EXPECT_EQ(mime_type_for("style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(mime_type_for("font.woff2"), "font/woff2");
  EXPECT_EQ(mime_type_for("photo.webp"), "image/webp");
  EXPECT_EQ(mime_type_for("/flags/ad/ad.gif"), "image/gif");
}
