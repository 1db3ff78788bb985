#include "request_handler.hpp"

#include <fmt/format.h>

#include "byte_range.hpp"
#include "conditional_request.hpp"
#include "path_sanitizer.hpp"

namespace platespin {

RequestHandler::Canned RequestHandler::canned(int status, const char* reason, const std::string& extra_headers,
                                              const std::string& body) {
  return {status,
          fmt::format("HTTP/1.1 {} {}\r\n{}Content-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n{}",
                      status, reason, kServerHeader, body.size(), extra_headers),
          body};
}

RequestHandler::RequestHandler(const FileStore& files, std::string prefix, const ServerMetrics* metrics)
    : files_(files),
      metrics_(metrics),
      prefix_(normalize_prefix(prefix)),
      healthy_(canned(200, "OK", "Cache-Control: no-store\r\n", "ok\n")),
      bad_request_(canned(400, "Bad Request", "", "400 Bad Request\n")),
      not_found_(canned(404, "Not Found", "", "404 Not Found\n")),
      method_not_allowed_(canned(405, "Method Not Allowed", "Allow: GET, HEAD\r\n", "405 Method Not Allowed\n")),
      not_implemented_(canned(501, "Not Implemented", "",
                              "501 Not Implemented: this server decodes no transfer coding but chunked\n")),
      precondition_failed_(canned(412, "Precondition Failed", "", "412 Precondition Failed\n")),
      length_required_(canned(411, "Length Required", "",
                              "411 Length Required: send a request body with a Content-Length\n")),
      too_large_(canned(413, "Content Too Large", "",
                        "413 Content Too Large: this server reads no request body over 64 KiB\n")),
      uri_too_long_(canned(414, "URI Too Long", "", "414 URI Too Long: the request line is limited to 8 KiB\n")),
      headers_too_large_(canned(431, "Request Header Fields Too Large", "",
                                "431 Request Header Fields Too Large: 8 KiB a line, 32 KiB the head\n")),
      version_not_supported_(canned(505, "HTTP Version Not Supported", "",
                                    "505 HTTP Version Not Supported: this server speaks HTTP/1.1\n")) {}

std::uint64_t Reply::body_size() const { return body_file ? body_file_length : body.size(); }

Reply RequestHandler::reply(const Canned& c, bool head_only, bool close) {
  Reply r;
  r.status = c.status;
  r.head = c.head;
  if (!head_only) r.body = c.body;
  r.close = close;
  return r;
}

Reply RequestHandler::bad_request(bool head_only) const { return reply(bad_request_, head_only, true); }
Reply RequestHandler::headers_too_large(bool head_only) const { return reply(headers_too_large_, head_only, true); }
Reply RequestHandler::uri_too_long(bool head_only) const { return reply(uri_too_long_, head_only, true); }
Reply RequestHandler::version_not_supported(bool head_only) const {
  return reply(version_not_supported_, head_only, true);
}

Reply RequestHandler::metrics_reply(bool head_only) const {
  struct Rendered {
    std::string head, body;
  };
  auto rendered = std::make_shared<Rendered>();
  rendered->body = metrics_->render(files_.cached_files(), files_.cached_bytes());
  rendered->head = fmt::format(
      "HTTP/1.1 200 OK\r\n{}Content-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: {}\r\n"
      "Cache-Control: no-store\r\n",
      kServerHeader, rendered->body.size());
  Reply r;
  r.status = 200;
  r.head = rendered->head;
  if (!head_only) r.body = rendered->body;
  r.owner = std::move(rendered);
  return r;
}

Reply RequestHandler::refuse_body(const ParsedRequest& request, const Canned& refusal) const {
  const bool is_head = request.method == "HEAD";
  if (request.method != "GET" && !is_head) return reply(method_not_allowed_, false, true);
  return reply(refusal, is_head, true);
}

namespace {

bool ends_with_slash(std::string_view target) {
  target = target.substr(0, target.find_first_of("?#"));
  return !target.empty() && target.back() == '/';
}

}  // namespace

bool RequestHandler::under_prefix(const std::string& path) const {
  return path.size() > prefix_.size() && path.compare(0, prefix_.size(), prefix_) == 0 &&
         path[prefix_.size()] == '/';
}

namespace {

// The body of `r`: `length` bytes of `file` from `first`, from memory or from disk.
void set_body(Reply& r, const StaticFile& file, std::uint64_t first, std::uint64_t length) {
  if (file.open) {
    r.body_file = file.open.get();
    r.body_file_offset = first;
    r.body_file_length = length;
  } else {
    r.body = std::string_view(file.body).substr(static_cast<std::size_t>(first), static_cast<std::size_t>(length));
  }
}

}  // namespace

void RequestHandler::set_content(Reply& r, const ParsedRequest& request, const StaticFile& file, bool is_get) {
  // Only GET has ranges (RFC 9110 §14.2); an If-Range that does not hold means the whole file.
  const RangeRequest range =
      is_get && !request.range.empty() &&
              (request.if_range.empty() || if_range_holds(request.if_range, file.etag, file.mtime, std::time(nullptr)))
          ? parse_range(request.range, file.size)
          : RangeRequest{};
  switch (range.kind) {
    case RangeRequest::Kind::whole:
      r.status = 200;
      r.head = file.head_ok;
      if (is_get) set_body(r, file, 0, file.size);
      break;
    case RangeRequest::Kind::partial: {
      r.status = 206;
      r.head = file.head_partial;
      const auto end = fmt::format_to_n(r.fields_buffer.data(), r.fields_buffer.size(),
                                        "Content-Range: bytes {}-{}/{}\r\nContent-Length: {}\r\n", range.first,
                                        range.first + range.length - 1, file.size, range.length);
      r.fields_size = static_cast<std::size_t>(end.out - r.fields_buffer.data());
      set_body(r, file, range.first, range.length);
      break;
    }
    case RangeRequest::Kind::unsatisfiable:
      r.status = 416;
      r.head = file.head_range_not_satisfiable;
      r.body = kRangeNotSatisfiableBody;
      break;
  }
}

Reply RequestHandler::respond(const ParsedRequest& request) const {
  // A response to HEAD has no body, errors included (RFC 9110 §9.3.2): one
  // would be read as the next response.
  const bool is_get = request.method == "GET", is_head = request.method == "HEAD";
  // A body whose end is unknown would be taken for the next request: refusing
  // and closing keeps the byte stream in step. A framed body is read and
  // thrown away by the connection, unless it is known to be too large.
  switch (request.framing) {
    case BodyFraming::none:
      break;
    // Not read: a chunked body's length is known only at its end, and a
    // malformed one (bare LF line ends) would leave us waiting for it.
    case BodyFraming::chunked:
      return refuse_body(request, length_required_);
    case BodyFraming::invalid:
      return reply(bad_request_, is_head, true);
    case BodyFraming::unsupported_coding:
      return reply(not_implemented_, is_head, true);
    case BodyFraming::content_length:
      if (request.body_length > kDiscardedBodyLimit) return refuse_body(request, too_large_);
      break;
  }
  const auto path = sanitize_target(request.target);
  if (!path) return reply(bad_request_, is_head, true);
  // The method before anything about the resource (and before the body).
  if (!is_get && !is_head) return reply(method_not_allowed_, false, false);
  // "/flags/ad/ad.gif/" names a directory, and a file is no directory (nginx: 404 too).
  if (ends_with_slash(request.target)) return reply(not_found_, is_head, false);
  if (*path == "/healthz") return reply(healthy_, is_head, false);
  if (*path == "/metrics" && metrics_) return metrics_reply(is_head);
  if (!under_prefix(*path)) return reply(not_found_, is_head, false);
  auto file = files_.find(*path);
  if (!file) return reply(not_found_, is_head, false);

  Reply r;
  const Preconditions preconditions{request.if_match, request.if_unmodified_since, request.if_none_match,
                                    request.if_modified_since};
  switch (evaluate_preconditions(preconditions, file->etag, file->mtime)) {
    case PreconditionOutcome::failed:
      return reply(precondition_failed_, is_head, false);
    case PreconditionOutcome::not_modified:
      r.status = 304;
      r.head = file->head_not_modified;
      break;
    case PreconditionOutcome::proceed:
      set_content(r, request, *file, is_get);
      break;
  }
  r.owner = std::move(file);
  return r;
}

}  // namespace platespin
