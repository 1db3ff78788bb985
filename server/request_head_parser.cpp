#include "request_head_parser.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

namespace platespin {

namespace http = boost::beast::http;

RequestHeadParser::RequestHeadParser(ParsedRequest& out) : out_(out) {
  out_.clear();
  header_limit(kHeaderLimit);
}

void RequestHeadParser::finish_head() {
  out_.keep_alive = keep_alive();
  const auto length = content_length();
  out_.has_body = chunked() || (length && *length > 0);
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
