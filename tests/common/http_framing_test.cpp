// The one framing decision (RFC 9112 §6.1–6.3) that flag_server and
// chaos_proxy act on, case by case.
#include "http_framing.hpp"

#include <gtest/gtest.h>

#include <vector>

using platespin::Framing;

namespace {

struct Lines {
  std::vector<std::string_view> te, cl;
};

Framing request(Lines lines, int version = 11) { return platespin::request_framing(version, lines.te, lines.cl); }
Framing response(Lines lines, int status = 200, bool to_head = false) {
  return platespin::response_framing(status, to_head, lines.te, lines.cl);
}

TEST(RequestFraming, NoLengthAndNoCodingIsNoBody) {
  const auto f = request({});
  EXPECT_FALSE(f.refused());
  EXPECT_EQ(f.body, Framing::Body::none);
}

TEST(RequestFraming, ContentLengthListsOfOneValueAreThatLength) {
  for (const auto& lines : {Lines{{}, {"5"}}, Lines{{}, {"5, 5"}}, Lines{{}, {"5", " 5 "}}, Lines{{}, {"0"}}}) {
    const auto f = request(lines);
    EXPECT_FALSE(f.refused());
    EXPECT_EQ(f.body, Framing::Body::length);
    EXPECT_EQ(f.length, lines.cl.front() == "0" ? 0U : 5U);
  }
}

TEST(RequestFraming, ContentLengthThatIsNotOneNumberIs400) {
  for (const auto& cl : std::vector<std::vector<std::string_view>>{
           {"5, 6"}, {"5", "6"}, {"+5"}, {"-1"}, {"5a"}, {""}, {","}, {"99999999999999999999999"}, {"0x10"}})
    EXPECT_EQ(request({{}, cl}).refusal, 400) << cl.front();
}

TEST(RequestFraming, ChunkedLastAndAloneIsChunked) {
  for (const auto& te : std::vector<std::vector<std::string_view>>{{"chunked"}, {"CHUNKED"}, {" chunked "}, {"chunked,"}}) {
    const auto f = request({te, {}});
    EXPECT_FALSE(f.refused()) << te.front();
    EXPECT_EQ(f.body, Framing::Body::chunked);
  }
}

TEST(RequestFraming, TheCombinedCodingListDecidesNotOneLine) {
  // Split over two lines the list is "gzip, chunked": a coding we do not
  // implement under chunked (nginx's 501), never "the first line says gzip".
  EXPECT_EQ(request({{"gzip", "chunked"}, {}}).refusal, 501);
  EXPECT_EQ(request({{"chunked", "gzip"}, {}}).refusal, 400);
  EXPECT_EQ(request({{"chunked", "chunked"}, {}}).refusal, 400);
  EXPECT_EQ(request({{"chunked, chunked"}, {}}).refusal, 400);
}

TEST(RequestFraming, AFinalCodingOtherThanChunkedIs400) {
  for (const auto te : {"gzip", "chunked, gzip", "xchunked", "identity", "chunked;foo=bar", "", "chunk ed", "chunked\x01"})
    EXPECT_EQ(request({{te}, {}}).refusal, 400) << te;
}

TEST(RequestFraming, TransferEncodingWithContentLengthIs400) {
  EXPECT_EQ(request({{"chunked"}, {"5"}}).refusal, 400);
}

TEST(RequestFraming, TransferEncodingInHttp10Is400) {
  EXPECT_EQ(request({{"chunked"}, {}}, 10).refusal, 400);
  EXPECT_FALSE(request({{}, {"5"}}, 10).refused());
}

TEST(ResponseFraming, NoBodyForHeadAnd1xx204And304WhateverTheHeaderSays) {
  EXPECT_EQ(response({{}, {"5"}}, 200, true).body, Framing::Body::none);
  for (const int status : {100, 103, 204, 304}) EXPECT_EQ(response({{"chunked"}, {"5"}}, status).body, Framing::Body::none);
}

TEST(ResponseFraming, LengthChunkedAndUntilClose) {
  EXPECT_EQ(response({{}, {"7"}}).length, 7U);
  EXPECT_EQ(response({{"chunked"}, {}}).body, Framing::Body::chunked);
  EXPECT_EQ(response({}).body, Framing::Body::until_close);
  const auto gzip = response({{"gzip"}, {}});
  EXPECT_EQ(gzip.body, Framing::Body::until_close);  // RFC 9112 §6.3 rule 4
  EXPECT_EQ(gzip.codings, "gzip");
}

TEST(ResponseFraming, CodingsUnderChunkedGoOnWithTheContent) {
  const auto f = response({{"gzip", "chunked"}, {}});
  EXPECT_EQ(f.body, Framing::Body::chunked);
  EXPECT_EQ(f.codings, "gzip");
}

TEST(ResponseFraming, AmbiguousFramingFromTheBackendIs502) {
  for (const auto& lines : {Lines{{"chunked"}, {"5"}}, Lines{{"chunked", "gzip"}, {}}, Lines{{"chunked", "chunked"}, {}},
                            Lines{{}, {"5", "6"}}, Lines{{}, {"x"}}, Lines{{"chunked;x"}, {}}})
    EXPECT_EQ(response(lines).refusal, 502);
}

}  // namespace
