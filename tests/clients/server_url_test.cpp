#include "server_url.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace platespin;

TEST(ServerUrl, BookLabelsInAnyCase) {
  const auto delay = parse_server("delay");
  EXPECT_EQ(delay.label, "DELAY");
  EXPECT_EQ(delay.url, "http://localhost:8002/flags");  // as the book prints it
  EXPECT_EQ(delay.host, "127.0.0.1");                   // where the demo's servers listen
  EXPECT_EQ(delay.port, 8002);
  EXPECT_EQ(delay.target("br/br.gif"), "/flags/br/br.gif");
  EXPECT_EQ(parse_server("ERROR").port, 8003);
  EXPECT_EQ(parse_server("LOCAL").authority(), "127.0.0.1:8001");
}

TEST(ServerUrl, AnyHttpUrl) {
  const auto s = parse_server("http://localhost:9000/some/where/");
  EXPECT_EQ(s.label, "URL");
  EXPECT_EQ(s.host, "localhost");
  EXPECT_EQ(s.port, 9000);
  EXPECT_EQ(s.url, "http://localhost:9000/some/where");
  EXPECT_EQ(s.target("ad/ad.gif"), "/some/where/ad/ad.gif");
  const auto bare = parse_server("http://example.com");
  EXPECT_EQ(bare.port, 80);
  EXPECT_EQ(bare.target("x"), "/x");
}

TEST(ServerUrl, LabelsPointedElsewhere) {
  const SiteTable sites{{"DELAY", "http://127.0.0.1:9002/flags"}, {"REMOTE", "http://example.com/data/flags"}};
  const auto delay = parse_server("delay", sites);
  EXPECT_EQ(delay.label, "DELAY");
  EXPECT_EQ(delay.url, "http://127.0.0.1:9002/flags");
  EXPECT_EQ(parse_server("REMOTE", sites).host, "example.com");
  EXPECT_EQ(parse_server("ERROR", sites).port, 8003);  // not pointed: the book's
}

TEST(ServerUrl, RejectsWhatItCannotUse) {
  EXPECT_THROW(parse_server("REMOTE"), std::invalid_argument);
  EXPECT_THROW(parse_server("https://127.0.0.1:8001/flags"), std::invalid_argument);
  EXPECT_THROW(parse_server("http://"), std::invalid_argument);
  EXPECT_THROW(parse_server("http://127.0.0.1:0/flags"), std::invalid_argument);
  EXPECT_THROW(parse_server("http://127.0.0.1:8001/flags?x=1"), std::invalid_argument);
}
