// The request handler without sockets: the reply to each kind of request.
#include "request_handler.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <vector>

#include "services.hpp"

using namespace platespin;

namespace {

class RequestHandlerTest : public ::testing::Test {
 protected:
  static std::filesystem::path make_root() {
    const auto root = test::temp_dir("handler");
    std::filesystem::create_directories(root / "flags" / "ad");
    std::ofstream(root / "flags" / "ad" / "ad.gif", std::ios::binary) << "GIF89a-pretend";
    std::ofstream(root / "outside.txt") << "not under the prefix";
    return root;
  }
  ParsedRequest get(const std::string& target, const std::string& method = "GET") {
    ParsedRequest r;
    r.method = method;
    r.target = target;
    return r;
  }
  std::filesystem::path root_ = make_root();
  FileStore files_{root_, "/flags", true};
  RequestHandler handler_{files_, "/flags/"};
};

TEST_F(RequestHandlerTest, ServesAFileWithItsHeaders) {
  const Reply r = handler_.respond(get("/flags/ad/ad.gif"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "GIF89a-pretend");
  EXPECT_NE(r.head.find("HTTP/1.1 200 OK\r\n"), std::string_view::npos);
  EXPECT_NE(r.head.find("Content-Type: image/gif\r\n"), std::string_view::npos);
  EXPECT_NE(r.head.find("Content-Length: 14\r\n"), std::string_view::npos);
  EXPECT_NE(r.head.find("ETag: \""), std::string_view::npos);
  EXPECT_NE(r.head.find("Last-Modified: "), std::string_view::npos);
  EXPECT_FALSE(r.close);
}

TEST_F(RequestHandlerTest, HeadHasTheHeadersButNoBody) {
  const Reply r = handler_.respond(get("/flags/ad/ad.gif", "HEAD"));
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  EXPECT_NE(r.head.find("Content-Length: 14\r\n"), std::string_view::npos);
}

TEST_F(RequestHandlerTest, MatchingEtagGives304WithoutBody) {
  const Reply first = handler_.respond(get("/flags/ad/ad.gif"));
  const auto at = first.head.find("ETag: ") + 6;
  auto request = get("/flags/ad/ad.gif");
  request.if_none_match = std::string(first.head.substr(at, first.head.find("\r\n", at) - at));
  const Reply r = handler_.respond(request);
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.head.find("Content-Length"), std::string_view::npos);
}

TEST_F(RequestHandlerTest, MissingFilesAndPathsOutsideThePrefixAre404) {
  EXPECT_EQ(handler_.respond(get("/flags/zz/zz.gif")).status, 404);
  EXPECT_EQ(handler_.respond(get("/outside.txt")).status, 404);
  EXPECT_EQ(handler_.respond(get("/flags")).status, 404);
  EXPECT_EQ(handler_.respond(get("/flags/ad")).status, 404);
  EXPECT_EQ(handler_.respond(get("/flagsad/ad.gif")).status, 404);
}

TEST_F(RequestHandlerTest, OtherMethodsAre405WithAllow) {
  const Reply r = handler_.respond(get("/flags/ad/ad.gif", "DELETE"));
  EXPECT_EQ(r.status, 405);
  EXPECT_NE(r.head.find("Allow: GET, HEAD\r\n"), std::string_view::npos);
}

TEST_F(RequestHandlerTest, TheMethodIsCheckedBeforeTheBody) {
  auto post = get("/flags/ad/ad.gif", "POST");
  post.framing = BodyFraming::content_length;
  post.body_length = 5;
  const Reply small = handler_.respond(post);
  EXPECT_EQ(small.status, 405);
  EXPECT_FALSE(small.close) << "the connection reads the body and goes on";
  post.body_length = 2'000'000;
  const Reply large = handler_.respond(post);
  EXPECT_EQ(large.status, 405);
  EXPECT_NE(large.head.find("Allow: GET, HEAD\r\n"), std::string_view::npos);
  EXPECT_TRUE(large.close) << "a body that is not read";
}

TEST_F(RequestHandlerTest, AGetWithASmallBodyIsServedAndALargeOneIs413) {
  auto request = get("/flags/ad/ad.gif");
  request.framing = BodyFraming::content_length;
  request.body_length = RequestHandler::kDiscardedBodyLimit;
  EXPECT_EQ(handler_.respond(request).status, 200);
  request.body_length = RequestHandler::kDiscardedBodyLimit + 1;
  const Reply r = handler_.respond(request);
  EXPECT_EQ(r.status, 413);
  EXPECT_TRUE(r.close);
  request.method = "HEAD";
  EXPECT_TRUE(handler_.respond(request).body.empty());
  request.method = "GET";
  request.framing = BodyFraming::chunked;  // its length unknown: not read
  const Reply chunked = handler_.respond(request);
  EXPECT_EQ(chunked.status, 411);
  EXPECT_TRUE(chunked.close);
  request.method = "POST";
  EXPECT_EQ(handler_.respond(request).status, 405);
}

TEST_F(RequestHandlerTest, AFileWithATrailingSlashIs404) {
  EXPECT_EQ(handler_.respond(get("/flags/ad/ad.gif/")).status, 404);
}

TEST_F(RequestHandlerTest, ErrorsForHeadHaveNoBody) {
  for (const Reply& r : {handler_.bad_request(true), handler_.uri_too_long(true), handler_.headers_too_large(true),
                         handler_.version_not_supported(true)}) {
    EXPECT_TRUE(r.body.empty()) << r.status;
    EXPECT_TRUE(r.close) << r.status;
  }
  EXPECT_EQ(handler_.uri_too_long().status, 414);
  EXPECT_EQ(handler_.version_not_supported().status, 505);
}

TEST_F(RequestHandlerTest, ABodyThatCannotBeFramedIs400Or501AndClosesTheConnection) {
  auto request = get("/flags/ad/ad.gif");
  request.framing = BodyFraming::invalid;
  const Reply bad = handler_.respond(request);
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(bad.close);
  request.framing = BodyFraming::unsupported_coding;
  const Reply coding = handler_.respond(request);
  EXPECT_EQ(coding.status, 501);
  EXPECT_NE(coding.head.find("HTTP/1.1 501 Not Implemented\r\n"), std::string_view::npos);
  EXPECT_TRUE(coding.close);
}

TEST_F(RequestHandlerTest, ABadTargetIs400AndClosesTheConnection) {
  const Reply r = handler_.respond(get("/flags/../../etc/passwd"));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(r.close);
  EXPECT_EQ(handler_.bad_request().status, 400);
  EXPECT_EQ(handler_.headers_too_large().status, 431);
  EXPECT_TRUE(handler_.headers_too_large().close);
}

TEST_F(RequestHandlerTest, Healthz) {
  EXPECT_EQ(handler_.respond(get("/healthz")).status, 200);
  EXPECT_EQ(handler_.respond(get("/healthz")).body, "ok\n");
  EXPECT_EQ(handler_.respond(get("/healthz", "POST")).status, 405);
}

// What a --no-cache reply's body reads as, in pieces of `piece` bytes.
std::string read_body_file(const Reply& r, std::size_t piece = 4) {
  std::string body;
  if (!r.body_file) return body;
  std::vector<char> buffer(piece);
  for (std::size_t n; (n = r.body_file->read_at(body.size(), buffer)) > 0;) body.append(buffer.data(), n);
  return body;
}

TEST_F(RequestHandlerTest, NoCacheOpensTheFileAtEachRequestAndSendsItFromDisk) {
  const FileStore disk(root_, "/flags", false);
  const RequestHandler handler(disk, "/flags");
  const Reply first = handler.respond(get("/flags/ad/ad.gif"));
  EXPECT_TRUE(first.body.empty()) << "no copy in memory";
  ASSERT_NE(first.body_file, nullptr);
  EXPECT_EQ(first.body_size(), 14u);
  EXPECT_NE(first.head.find("Content-Length: 14\r\n"), std::string_view::npos);
  EXPECT_EQ(read_body_file(first), "GIF89a-pretend");
  std::ofstream(root_ / "flags" / "ad" / "ad.gif", std::ios::binary) << "changed";
  const Reply second = handler.respond(get("/flags/ad/ad.gif"));
  EXPECT_EQ(read_body_file(second), "changed");
  EXPECT_EQ(second.body_size(), 7u);
  EXPECT_EQ(handler.respond(get("/flags/ad/ad.gif", "HEAD")).body_file, nullptr);
  EXPECT_EQ(handler.respond(get("/flags/zz/zz.gif")).status, 404);
}

TEST_F(RequestHandlerTest, ARangeIs206ServedFromTheCacheWithoutACopy) {
  const Reply whole = handler_.respond(get("/flags/ad/ad.gif"));
  EXPECT_NE(whole.head.find("Accept-Ranges: bytes\r\n"), std::string_view::npos);
  auto request = get("/flags/ad/ad.gif");
  request.range = "bytes=2-5";
  const Reply r = handler_.respond(request);
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.body, "F89a");
  EXPECT_EQ(r.body.data(), whole.body.data() + 2) << "a view into the cached file";
  EXPECT_NE(r.head.find("HTTP/1.1 206 Partial Content\r\n"), std::string_view::npos);
  EXPECT_EQ(r.head.find("Content-Length"), std::string_view::npos);
  EXPECT_EQ(r.fields(), "Content-Range: bytes 2-5/14\r\nContent-Length: 4\r\n");
  EXPECT_FALSE(r.close);
}

TEST_F(RequestHandlerTest, ARangeFromDiskIsThatPartOfTheFile) {
  const FileStore disk(root_, "/flags", false);
  const RequestHandler handler(disk, "/flags");
  auto request = get("/flags/ad/ad.gif");
  request.range = "bytes=-4";
  const Reply r = handler.respond(request);
  EXPECT_EQ(r.status, 206);
  ASSERT_NE(r.body_file, nullptr);
  EXPECT_EQ(r.body_file_offset, 10u);
  EXPECT_EQ(r.body_size(), 4u);
  EXPECT_EQ(r.fields(), "Content-Range: bytes 10-13/14\r\nContent-Length: 4\r\n");
}

TEST_F(RequestHandlerTest, AnUnsatisfiableRangeIs416) {
  auto request = get("/flags/ad/ad.gif");
  request.range = "bytes=14-";
  const Reply r = handler_.respond(request);
  EXPECT_EQ(r.status, 416);
  EXPECT_NE(r.head.find("Content-Range: bytes */14\r\n"), std::string_view::npos);
  EXPECT_FALSE(r.close);
}

TEST_F(RequestHandlerTest, AFailedPreconditionIs412) {
  auto request = get("/flags/ad/ad.gif");
  request.if_match = "\"other\"";
  const Reply r = handler_.respond(request);
  EXPECT_EQ(r.status, 412);
  EXPECT_FALSE(r.body.empty());
  EXPECT_FALSE(r.close);
  request.method = "HEAD";
  EXPECT_TRUE(handler_.respond(request).body.empty());
}

TEST(FileStore, RefusesARootThatIsNotADirectory) {
  EXPECT_THROW(FileStore("/nonexistent/platespin", "/flags", true), std::runtime_error);
}

}  // namespace
