#include "flag_files.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "services.hpp"

using namespace platespin;

TEST(FlagFiles, MetadataNameAsTheBookGivesIt) {
  // flags3_asyncio.py: '{}-{}.gif'.format(country.replace(' ', '_'), cc)
  EXPECT_EQ(metadata_file_name("BR", "Brazil"), "Brazil-BR.gif");
  EXPECT_EQ(metadata_file_name("US", "United States of America"), "United_States_of_America-US.gif");
  EXPECT_EQ(metadata_file_name("XX", "A/B"), "A_B-XX.gif");
  // {"country": "A\u0000B"} from a server: the path would end at the NUL (found by fuzz_client_response's invariant).
  EXPECT_EQ(metadata_file_name("XX", std::string("A\0B", 3)), "A_B-XX.gif");
}

TEST(FlagFiles, WriteWholeReplacesAndLeavesNoTemporary) {
  const auto dir = test::temp_dir("flag-files");
  write_file_whole(dir / "a.gif", "first version, longer");
  write_file_whole(dir / "a.gif", "second");
  std::ifstream in(dir / "a.gif", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "second");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator{}), 1);
  EXPECT_THROW(write_file_whole(dir / "missing" / "b.gif", "x"), std::runtime_error);
  // The message carries the real reason: a full directory where the file goes
  // said "Success" (the temp file's removal had overwritten the error code).
  std::filesystem::create_directories(dir / "c.gif" / "inside");
  try {
    write_file_whole(dir / "c.gif", "x");
    ADD_FAILURE() << "wrote over a directory";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write " + (dir / "c.gif").string() + ": Is a directory");
  }
  std::filesystem::remove_all(dir);
}
