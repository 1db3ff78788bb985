#include "request_head_parser.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/rfc7230.hpp>

#include <algorithm>
#include <charconv>

namespace platespin {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// One more line of a field that may come on several: RFC 9110 §5.3 lets a
// recipient join them into one list, which is what the framing is decided on
// (Beast's parser looks at each Transfer-Encoding line alone).
void append_field_line(bool& seen, std::string& joined, beast::string_view line) {
  if (seen) joined += ", ";
  joined.append(line.data(), line.size());
  seen = true;
}

std::optional<std::string_view> field_if(bool seen, const std::string& joined) {
  if (!seen) return std::nullopt;
  return std::string_view(joined);
}

beast::string_view beast_view(std::string_view s) { return {s.data(), s.size()}; }

// The one length a Content-Length list names ("5", or "5, 5" from repeated
// lines), or nullopt when it is not a list of one decimal value (RFC 9112 §6.3
// rule 5: differing values, empty elements, signs, overflow).
std::optional<std::uint64_t> single_content_length(std::string_view value) {
  const http::opt_token_list elements{beast_view(value)};
  if (!http::validate_list(elements)) return std::nullopt;
  std::optional<std::uint64_t> length;
  std::size_t count = 0;
  for (const auto element : elements) {
    ++count;
    std::uint64_t n = 0;
    const char* const end = element.data() + element.size();
    const bool digits = !element.empty() && std::all_of(element.begin(), element.end(), [](char c) {
      return c >= '0' && c <= '9';
    });
    if (!digits) return std::nullopt;
    const auto [stop, error] = std::from_chars(element.data(), end, n);
    if (error != std::errc{} || stop != end) return std::nullopt;  // over 64 bits
    if (length && *length != n) return std::nullopt;
    length = n;
  }
  // opt_token_list skips empty elements; a length list may not have any ("5,,5").
  if (count != 1 + static_cast<std::size_t>(std::count(value.begin(), value.end(), ','))) return std::nullopt;
  return length;
}

}  // namespace

BodyFraming decide_body_framing(int version, std::optional<std::string_view> transfer_encoding,
                                std::optional<std::string_view> content_length) {
  if (transfer_encoding) {
    // RFC 9112 §6.1: HTTP/1.0 has no transfer codings; such a message's framing
    // is faulty even when a Content-Length is present.
    if (version < 11) return BodyFraming::invalid;
    // §6.3 rule 3: both at once is how requests are smuggled past a proxy that
    // believes the other one; refuse rather than pick.
    if (content_length) return BodyFraming::invalid;
    const http::opt_token_list codings{beast_view(*transfer_encoding)};
    if (!http::validate_list(codings)) return BodyFraming::invalid;
    std::size_t count = 0, chunked = 0;
    bool last_is_chunked = false;
    for (const auto coding : codings) {
      ++count;
      last_is_chunked = beast::iequals(coding, "chunked");
      chunked += last_is_chunked;
    }
    // §6.3 rule 4: unless chunked is the final coding ("gzip", "chunked, gzip",
    // "xchunked", "identity", an empty list) the body's end cannot be known: 400.
    if (!last_is_chunked) return BodyFraming::invalid;
    // §6.1: a sender MUST NOT apply chunked more than once ("chunked, chunked").
    if (chunked > 1) return BodyFraming::invalid;
    // §6.1: a coding the server does not understand SHOULD get 501. We decode
    // none but chunked, so any coding before it ("gzip, chunked") is 501, as
    // nginx answers for every Transfer-Encoding other than "chunked".
    if (count > 1) return BodyFraming::unsupported_coding;
    return BodyFraming::chunked;
  }
  if (content_length) {
    const auto length = single_content_length(*content_length);
    if (!length) return BodyFraming::invalid;
    return *length > 0 ? BodyFraming::content_length : BodyFraming::none;
  }
  return BodyFraming::none;
}

RequestHeadParser::RequestHeadParser(ParsedRequest& out) : out_(out) {
  out_.clear();
  header_limit(kHeaderLimit);
  // The body is never read, only refused with 413 (see respond()); Beast's
  // default limit of 1 MiB would fail the head first, as a 400.
  body_limit(boost::none);
}

void RequestHeadParser::finish_head() {
  out_.keep_alive = keep_alive();
  // Decided here, from every line of both fields, not from what Beast's parser
  // concluded: it looks at each Transfer-Encoding line alone and keeps its
  // chunked flag once set. Where it refuses a head itself (chunked then another
  // Transfer-Encoding line, Content-Length beside a chunked one, differing
  // lengths), these rules refuse it too, with the same 400.
  out_.framing = decide_body_framing(out_.version, field_if(out_.has_transfer_encoding, out_.transfer_encoding),
                                     field_if(out_.has_content_length, out_.content_length));
}

void RequestHeadParser::on_request_impl(http::verb, string_view method, string_view target, int version,
                                        error_code&) {
  out_.method.assign(method.data(), method.size());
  out_.target.assign(target.data(), target.size());
  out_.version = version;
}

void RequestHeadParser::on_field_impl(http::field name, string_view, string_view value, error_code&) {
  if (name == http::field::if_none_match)
    out_.if_none_match.assign(value.data(), value.size());
  else if (name == http::field::if_modified_since)
    out_.if_modified_since.assign(value.data(), value.size());
  else if (name == http::field::transfer_encoding)
    append_field_line(out_.has_transfer_encoding, out_.transfer_encoding, value);
  else if (name == http::field::content_length)
    append_field_line(out_.has_content_length, out_.content_length, value);
}

ParseOutcome classify_read_error(const boost::beast::error_code& ec) {
  if (ec == http::error::header_limit) return ParseOutcome::headers_too_large;
  if (ec == http::error::end_of_stream || ec == http::error::partial_message || ec == http::error::need_more)
    return ParseOutcome::incomplete;
  if (ec.category() == make_error_code(http::error::bad_target).category()) return ParseOutcome::malformed;
  return ParseOutcome::incomplete;
}

ParseOutcome parse_request_head(std::string_view bytes, ParsedRequest& out, std::size_t& used) {
  RequestHeadParser parser(out);
  parser.eager(false);
  boost::beast::error_code ec;
  used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
  if (ec == http::error::need_more) return ParseOutcome::incomplete;
  if (ec == http::error::header_limit) return ParseOutcome::headers_too_large;
  if (ec) return ParseOutcome::malformed;
  parser.finish_head();
  return ParseOutcome::complete;
}

}  // namespace platespin
