#include "request_handler.hpp"

#include <fmt/format.h>

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

RequestHandler::RequestHandler(const FileStore& files, std::string prefix)
    : files_(files),
      prefix_(normalize_prefix(prefix)),
      healthy_(canned(200, "OK", "Cache-Control: no-store\r\n", "ok\n")),
      bad_request_(canned(400, "Bad Request", "", "400 Bad Request\n")),
      not_found_(canned(404, "Not Found", "", "404 Not Found\n")),
      method_not_allowed_(canned(405, "Method Not Allowed", "Allow: GET, HEAD\r\n", "405 Method Not Allowed\n")),
      not_implemented_(canned(501, "Not Implemented", "",
                              "501 Not Implemented: this server decodes no transfer coding but chunked\n")),
      too_large_(canned(413, "Content Too Large", "", "413 Content Too Large: this server takes no request bodies\n")),
      headers_too_large_(canned(431, "Request Header Fields Too Large", "",
                                "431 Request Header Fields Too Large: the limit is 8 KiB\n")) {}

std::uint64_t Reply::body_size() const { return body_file ? body_file->size() : body.size(); }

Reply RequestHandler::reply(const Canned& c, bool head_only, bool close) {
  Reply r;
  r.status = c.status;
  r.head = c.head;
  if (!head_only) r.body = c.body;
  r.close = close;
  return r;
}

Reply RequestHandler::bad_request() const { return reply(bad_request_, false, true); }
Reply RequestHandler::headers_too_large() const { return reply(headers_too_large_, false, true); }

bool RequestHandler::under_prefix(const std::string& path) const {
  return path.size() > prefix_.size() && path.compare(0, prefix_.size(), prefix_) == 0 &&
         path[prefix_.size()] == '/';
}

Reply RequestHandler::respond(const ParsedRequest& request) const {
  // A response to HEAD has no body, errors included (RFC 9110 §9.3.2): one
  // would be read as the next response.
  const bool is_get = request.method == "GET", is_head = request.method == "HEAD";
  // We never read a body, and a body whose end is unknown would be taken for
  // the next request: refusing and closing keeps the byte stream in step.
  switch (request.framing) {
    case BodyFraming::none:
      break;
    case BodyFraming::invalid:
      return reply(bad_request_, is_head, true);
    case BodyFraming::unsupported_coding:
      return reply(not_implemented_, is_head, true);
    case BodyFraming::content_length:
    case BodyFraming::chunked:
      return reply(too_large_, is_head, true);
  }
  const auto path = sanitize_target(request.target);
  if (!path) return reply(bad_request_, is_head, true);
  if (!is_get && !is_head) return reply(method_not_allowed_, false, false);
  if (*path == "/healthz") return reply(healthy_, is_head, false);
  if (!under_prefix(*path)) return reply(not_found_, is_head, false);
  auto file = files_.find(*path);
  if (!file) return reply(not_found_, is_head, false);

  Reply r;
  if (is_not_modified(request.if_none_match, request.if_modified_since, file->etag, file->mtime)) {
    r.status = 304;
    r.head = file->head_not_modified;
  } else {
    r.status = 200;
    r.head = file->head_ok;
    if (is_get) {
      if (file->open)
        r.body_file = file->open.get();
      else
        r.body = file->body;
    }
  }
  r.owner = std::move(file);
  return r;
}

}  // namespace platespin
