#include "request_head_parser.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>

#include <algorithm>
#include <cctype>
#include <span>
#include <string>

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
  // The scanner has kept the head within its limits; Beast's own limit, which
  // counts whatever is buffered, must never be the one that decides.
  header_limit(RequestHeadScanner::kHeadLimit + 4);
  // A body is only read to be discarded, by the connection, which sets its
  // limit then; Beast's default of 1 MiB would fail the head first, as a 400.
  body_limit(boost::none);
}

bool RequestHeadParser::finish_head() {
  out_.keep_alive = keep_alive();
  // Decided here, from every line of both fields, not from what Beast's parser
  // concluded: it looks at each Transfer-Encoding line alone and keeps its
  // chunked flag once set. Where it refuses a head itself (chunked then another
  // Transfer-Encoding line, Content-Length beside a chunked one, differing
  // lengths), these rules refuse it too, with the same 400.
  out_.framing = decide_body_framing(out_.version, field_if(out_.has_transfer_encoding, out_.transfer_encoding),
                                     field_if(out_.has_content_length, out_.content_length));
  // A body is read (and discarded) by Beast's parser: it must see the same
  // framing, or the two would disagree on where the next request starts.
  const bool beast_sees_length = content_length() && *content_length() > 0;
  const bool agree = out_.framing == BodyFraming::none             ? !chunked() && !beast_sees_length
                     : out_.framing == BodyFraming::content_length ? beast_sees_length && !chunked()
                     : out_.framing == BodyFraming::chunked        ? chunked() && !content_length()
                                                                   : true;  // refused anyway
  if (!agree) out_.framing = BodyFraming::invalid;
  out_.body_length = out_.framing == BodyFraming::content_length ? *content_length() : 0;
  // RFC 9112 §3.2: a 400 for HTTP/1.1 without Host, and for any request with
  // several Host lines or an invalid one.
  return host_valid_ && host_lines_ <= 1 && (host_lines_ == 1 || out_.version < 11);
}

ParseOutcome RequestHeadParser::parse_head(std::string_view head) {
  error_code ec;
  eager(false);
  const std::size_t used = put(boost::asio::buffer(head.data(), head.size()), ec);
  if (ec || used != head.size() || !is_header_done()) return ParseOutcome::malformed;
  return finish_head() ? ParseOutcome::complete : ParseOutcome::malformed;
}

VersionCheck check_version(std::string_view line) {
  if (line.size() < 8 || line.substr(line.size() - 8, 5) != "HTTP/" || line[line.size() - 2] != '.')
    return VersionCheck::as_is;
  const char major = line[line.size() - 3], minor = line[line.size() - 1];
  if (minor < '0' || minor > '9') return VersionCheck::as_is;
  if (major >= '2' && major <= '9') return VersionCheck::not_supported;
  if (major == '1' && minor >= '2') return VersionCheck::read_as_1_1;
  return VersionCheck::as_is;
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
  else if (name == http::field::if_match)
    out_.if_match.assign(value.data(), value.size());
  else if (name == http::field::if_unmodified_since)
    out_.if_unmodified_since.assign(value.data(), value.size());
  else if (name == http::field::range)
    out_.range.assign(value.data(), value.size());
  else if (name == http::field::if_range)
    out_.if_range.assign(value.data(), value.size());
  else if (name == http::field::host) {
    ++host_lines_;
    host_valid_ = host_valid_ && is_valid_host(std::string_view(value.data(), value.size()));
  } else if (name == http::field::transfer_encoding)
    append_field_line(out_.has_transfer_encoding, out_.transfer_encoding, value);
  else if (name == http::field::content_length)
    append_field_line(out_.has_content_length, out_.content_length, value);
}

bool is_valid_host(std::string_view value) {
  std::string_view host = value, port;
  if (!value.empty() && value.front() == '[') {  // IP-literal: "[" IPv6address / IPvFuture "]"
    const auto close = value.find(']');
    if (close == std::string_view::npos) return false;
    for (const char c : value.substr(1, close - 1))
      if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.' || c == 'v' || c == 'V')) return false;
    if (close + 1 < value.size() && value[close + 1] != ':') return false;
    host = {};
    port = close + 1 < value.size() ? value.substr(close + 2) : std::string_view{};
  } else if (const auto colon = value.rfind(':'); colon != std::string_view::npos) {
    host = value.substr(0, colon);
    port = value.substr(colon + 1);
  }
  for (const char c : port)
    if (c < '0' || c > '9') return false;
  // reg-name (IPv4 addresses are a case of it): unreserved, pct-encoded, sub-delims.
  for (const char c : host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-._~%!$&'()*+,;=").find(c) != std::string_view::npos))
      return false;
  return true;
}

ParseOutcome outcome_of_scan(RequestHeadScanner::Status status) {
  switch (status) {
    case RequestHeadScanner::Status::incomplete:
    case RequestHeadScanner::Status::complete:
      break;
    case RequestHeadScanner::Status::request_line_too_long:
      return ParseOutcome::request_line_too_long;
    case RequestHeadScanner::Status::field_line_too_long:
    case RequestHeadScanner::Status::head_too_large:
      return ParseOutcome::headers_too_large;
  }
  return ParseOutcome::incomplete;
}

ParseOutcome parse_request_head(std::string_view bytes, ParsedRequest& out, std::size_t& used) {
  RequestHeadParser parser(out);
  RequestHeadScanner scanner;
  used = 0;
  const auto status = scanner.scan(bytes);
  if (status != RequestHeadScanner::Status::complete) return outcome_of_scan(status);
  used = scanner.skipped() + scanner.head_size();
  const std::string_view head = bytes.substr(scanner.skipped(), scanner.head_size());
  switch (check_version(head.substr(0, scanner.request_line_size()))) {
    case VersionCheck::as_is:
      return parser.parse_head(head);
    case VersionCheck::not_supported:
      return ParseOutcome::version_not_supported;
    case VersionCheck::read_as_1_1:
      break;
  }
  // A copy to rewrite (the server rewrites its read buffer instead).
  std::string copy(head);
  copy[scanner.request_line_size() - 1] = '1';
  return parser.parse_head(copy);
}

}  // namespace platespin
