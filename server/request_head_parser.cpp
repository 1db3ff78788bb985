#include "request_head_parser.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>

#include <span>

#include "http_framing.hpp"

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

}  // namespace

BodyFraming decide_body_framing(int version, std::optional<std::string_view> transfer_encoding,
                                std::optional<std::string_view> content_length) {
  // The one decision chaos_proxy acts on too (common/http_framing.hpp); here
  // each field's lines come already joined into one list.
  const std::string_view te[] = {transfer_encoding.value_or("")}, cl[] = {content_length.value_or("")};
  const Framing framing = request_framing(version, transfer_encoding ? std::span(te) : std::span<const std::string_view>(),
                                          content_length ? std::span(cl) : std::span<const std::string_view>());
  // 501: a coding other than chunked, which we do not decode (nginx answers the same).
  if (framing.refusal == 501) return BodyFraming::unsupported_coding;
  if (framing.refused()) return BodyFraming::invalid;
  switch (framing.body) {
    case Framing::Body::none: return BodyFraming::none;
    case Framing::Body::length: return framing.length > 0 ? BodyFraming::content_length : BodyFraming::none;
    case Framing::Body::chunked: return BodyFraming::chunked;
    case Framing::Body::until_close: break;  // not for a request
  }
  return BodyFraming::invalid;
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
