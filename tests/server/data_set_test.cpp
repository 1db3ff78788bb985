// The data set the build wrote, and the builder itself.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "ascii_case.hpp"
#include "child_process.hpp"
#include "country_codes.hpp"
#include "gif_writer.hpp"
#include "services.hpp"

using namespace platespin;
using platespin::test::read_file;

namespace fs = std::filesystem;

namespace {

void expect_flag_tree(const fs::path& root) {
  std::size_t dirs = 0;
  for (const auto& entry : fs::directory_iterator(root / "flags")) dirs += entry.is_directory();
  EXPECT_EQ(dirs, 194u);
  for (const auto& cc : book_country_codes()) {
    const fs::path dir = root / "flags" / ascii_lower(cc);
    const std::string gif = read_file(dir / (ascii_lower(cc) + ".gif"));
    EXPECT_EQ(gif.substr(0, 6), "GIF89a") << cc;
    EXPECT_EQ(gif.back(), '\x3b') << cc;
    const auto meta = nlohmann::json::parse(read_file(dir / "metadata.json"));
    EXPECT_EQ(meta.at("iso_cc"), cc);
    EXPECT_EQ(meta.at("tld_cc").get<std::string>().front(), '.') << cc;
    EXPECT_FALSE(meta.at("country").get<std::string>().empty()) << cc;
  }
}

}  // namespace

TEST(DataSet, HasTheBooks194FlagsWithMetadata) {
  expect_flag_tree(test::data_root());
  EXPECT_EQ(read_file(test::data_root() / "flags" / "ad" / "metadata.json"),
            R"({"tld_cc": ".ad", "iso_cc": "AD", "country": "Andorra"})");
  EXPECT_EQ(read_file(test::data_root() / "flags" / "gb" / "metadata.json").find("\"tld_cc\": \".uk\""), 1u);
}

TEST(DataSet, SouthSudanIsOurOwnPicture) {
  const std::string gif = read_file(test::data_root() / "flags" / "ss" / "ss.gif");
  ASSERT_GE(gif.size(), 13u);
  EXPECT_EQ(gif[6], 16);  // width, little-endian
  EXPECT_EQ(gif[8], 11);  // height
}

TEST(DataSet, BuilderDrawsEveryFlagWhenThePicturesAreMissing) {
  const fs::path out = test::temp_dir("flagdata");
  const fs::path no_pictures = test::temp_dir("nopictures");
  ChildProcess builder(test::binary("build_flag_data"),
                       {"--countries", std::string(PLATESPIN_SOURCE_DIR) + "/data/countries.tsv", "--pictures",
                        no_pictures.string(), "--out", out.string()});
  EXPECT_NE(builder.read_rest(std::chrono::seconds(30)).find("194 flags"), std::string::npos);
  EXPECT_EQ(builder.wait().exit_code, 0);
  expect_flag_tree(out);
}

TEST(DataSet, BuilderRejectsATableWithoutACode) {
  const fs::path dir = test::temp_dir("badtable");
  std::ofstream(dir / "countries.tsv") << "AD\tAndorra\t.ad\n";
  ChildOptions options;
  options.stderr_file = (dir / "stderr.txt").string();
  ChildProcess builder(test::binary("build_flag_data"),
                       {"--countries", (dir / "countries.tsv").string(), "--out", (dir / "out").string()}, options);
  EXPECT_EQ(builder.wait().exit_code, 1);
  EXPECT_NE(read_file(dir / "stderr.txt").find("no row for AE"), std::string::npos);
}

TEST(GifWriter, WritesHeaderScreenAndTrailer) {
  const PalettedImage img{2, 2, {{0, 0, 0}, {255, 255, 255}}, {0, 1, 1, 0}};
  const std::string gif = encode_gif(img);
  EXPECT_EQ(gif.substr(0, 6), "GIF89a");
  EXPECT_EQ(gif[6], 2);
  EXPECT_EQ(gif[8], 2);
  EXPECT_EQ(gif.back(), '\x3b');
}

TEST(GifWriter, RejectsInconsistentImages) {
  EXPECT_THROW(encode_gif({2, 2, {{0, 0, 0}}, {0, 0, 0}}), std::invalid_argument);
  EXPECT_THROW(encode_gif({1, 1, {{0, 0, 0}}, {1}}), std::invalid_argument);
  EXPECT_THROW(encode_gif({1, 1, {}, {0}}), std::invalid_argument);
}
