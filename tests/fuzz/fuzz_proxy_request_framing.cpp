// chaos_proxy's request framing as the proxy does it (proxy/http_session.cpp):
// Beast's parser reads the header, request_framing_of() decides, and the body
// is read eagerly into a small piece at a time. When the proxy would forward
// the request (not refused), its decision must be the parser's reading
// (chunked ⇔ parser.chunked(), length ⇔ content_length()), and a body the
// parser finished must be exactly as long as decided.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "message_framing.hpp"

namespace http = boost::beast::http;
using platespin::Framing;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  platespin::proxy::RequestParser parser;
  parser.body_limit(boost::none);  // as the proxy: bodies are streamed, never held whole
  boost::beast::error_code ec;
  rest.remove_prefix(parser.put(boost::asio::buffer(rest.data(), rest.size()), ec));
  if (ec || !parser.is_header_done()) return 0;  // incomplete, or malformed (the proxy's 400/431)

  const Framing framing = platespin::proxy::request_framing_of(parser);
  if (framing.refused()) return 0;
  if (framing.body == Framing::Body::none) PLATESPIN_FUZZ_CHECK(parser.is_done());
  PLATESPIN_FUZZ_CHECK((framing.body == Framing::Body::chunked) == parser.chunked());
  PLATESPIN_FUZZ_CHECK((framing.body == Framing::Body::length) == parser.content_length().has_value());
  if (framing.body == Framing::Body::length) PLATESPIN_FUZZ_CHECK(*parser.content_length() == framing.length);
  PLATESPIN_FUZZ_CHECK(framing.body != Framing::Body::until_close);  // a request never reads to the end

  char piece[7];
  std::uint64_t body_bytes = 0;
  parser.eager(true);
  while (!parser.is_done()) {
    auto& body = parser.get().body();
    body.data = piece;
    body.size = sizeof piece;
    const std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    rest.remove_prefix(used);
    if (ec == http::error::need_buffer) ec = {};
    const std::size_t got = sizeof piece - body.size;
    body_bytes += got;
    if (ec || (used == 0 && got == 0)) break;  // the rest did not come, or a bad chunk: the proxy stops there
  }
  if (parser.is_done() && framing.body == Framing::Body::length) PLATESPIN_FUZZ_CHECK(body_bytes == framing.length);
  if (framing.body == Framing::Body::none) PLATESPIN_FUZZ_CHECK(body_bytes == 0);
  return 0;
}
