#include "endpoint.hpp"

#include <gtest/gtest.h>

using namespace platespin;

TEST(Endpoint, ParsesHostAndPort) {
  const auto e = parse_endpoint("localhost:8002");
  EXPECT_EQ(e.host, "localhost");
  EXPECT_EQ(e.port, 8002);
  EXPECT_EQ(e.to_string(), "localhost:8002");
}

TEST(Endpoint, DefaultsHostAndKeepsIpv6Brackets) {
  EXPECT_EQ(parse_endpoint(":0").host, "127.0.0.1");
  const auto v6 = parse_endpoint("[::1]:80");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.to_string(), "[::1]:80");
}

TEST(Endpoint, RejectsBadPorts) {
  EXPECT_THROW(parse_endpoint("localhost"), std::invalid_argument);
  EXPECT_THROW(parse_endpoint("localhost:"), std::invalid_argument);
  EXPECT_THROW(parse_endpoint("localhost:65536"), std::invalid_argument);
  EXPECT_THROW(parse_endpoint("localhost:80x"), std::invalid_argument);
}
