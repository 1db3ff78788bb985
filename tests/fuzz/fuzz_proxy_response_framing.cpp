// chaos_proxy's response framing as the proxy does it (proxy/http_session.cpp):
// the first input byte says whether the request was a HEAD, the rest is what
// the backend sent. Interim (1xx) responses are dropped like
// read_final_header() does, then response_framing_of() decides and the body
// is read eagerly into a small piece at a time, to the end of the input (the
// backend's close). When not refused, the decision must be the parser's
// reading: no body when the parser expects none, else chunked ⇔
// parser.chunked(), length ⇔ content_length(), until the close ⇔ need_eof();
// and a finished body is exactly as long as decided.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "fuzz_check.hpp"
#include "message_framing.hpp"

namespace http = boost::beast::http;
using platespin::Framing;
using platespin::proxy::ResponseParser;

namespace {

constexpr int kMaxInterimResponses = 16;  // as http_session.cpp

// The final response's header into `parser`, the bytes it took off `rest`; false when none came whole.
bool read_final_header(std::string_view& rest, std::optional<ResponseParser>& parser, bool head) {
  for (int interim = 0; interim <= kMaxInterimResponses; ++interim) {
    parser.emplace();
    parser->body_limit(boost::none);
    parser->skip(head);
    boost::beast::error_code ec;
    rest.remove_prefix(parser->put(boost::asio::buffer(rest.data(), rest.size()), ec));
    if (ec || !parser->is_header_done()) return false;
    const unsigned status = parser->get().result_int();
    if (status < 100 || status > 999 || status == 101) return false;
    if (status >= 200) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool head = data[0] & 1;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::optional<ResponseParser> parser;
  if (!read_final_header(rest, parser, head)) return 0;

  const Framing framing = platespin::proxy::response_framing_of(*parser, head);
  if (framing.refused()) return 0;
  if (framing.body == Framing::Body::none) {
    // A HEAD's, 1xx's, 204's or 304's: Content-Length describes another message, the parser reads no body.
    PLATESPIN_FUZZ_CHECK(parser->is_done());
    return 0;
  }
  PLATESPIN_FUZZ_CHECK((framing.body == Framing::Body::chunked) == parser->chunked());
  PLATESPIN_FUZZ_CHECK((framing.body == Framing::Body::length) == parser->content_length().has_value());
  if (framing.body == Framing::Body::length) PLATESPIN_FUZZ_CHECK(*parser->content_length() == framing.length);
  PLATESPIN_FUZZ_CHECK((framing.body == Framing::Body::until_close) == parser->need_eof());

  char piece[7];
  std::uint64_t body_bytes = 0;
  boost::beast::error_code ec;
  parser->eager(true);
  while (!parser->is_done()) {
    auto& body = parser->get().body();
    body.data = piece;
    body.size = sizeof piece;
    std::size_t used = 0;
    if (rest.empty()) {
      parser->put_eof(ec);  // the backend closed
      if (!ec) PLATESPIN_FUZZ_CHECK(parser->is_done());
    } else {
      used = parser->put(boost::asio::buffer(rest.data(), rest.size()), ec);
      rest.remove_prefix(used);
    }
    if (ec == http::error::need_buffer) ec = {};
    const std::size_t got = sizeof piece - body.size;
    body_bytes += got;
    if (ec || (used == 0 && got == 0)) break;  // cut short, or a bad chunk: the proxy stops there
  }
  if (parser->is_done() && framing.body == Framing::Body::length) PLATESPIN_FUZZ_CHECK(body_bytes == framing.length);
  return 0;
}
