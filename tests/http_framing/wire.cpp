#include "wire.hpp"

#include "ascii_case.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace platespin::framing {

namespace {

// A head larger than this is not something the matrix sends or expects back.
constexpr std::size_t kHeadLimit = 64 * 1024;
// More hex digits than this is not a chunk size anyone means (2^60 bytes).
constexpr std::size_t kMaxChunkDigits = 15;
constexpr std::size_t kMaxLengthDigits = 15;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_ows(char c) { return c == ' ' || c == '\t'; }

bool is_tchar(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  if (c >= 0x80 || c <= 0x20 || c == 0x7f) return false;
  return std::isalnum(c) != 0 || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_tchar(c)) return false;
  return true;
}

// VCHAR, obs-text, SP and HTAB: what a field value and a reason phrase may hold.
bool is_value_char(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return c == ' ' || c == '\t' || (c > 0x20 && c != 0x7f);
}


std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// Elements of a comma-separated list (RFC 9110 5.6.1), empty ones dropped.
std::vector<std::string_view> list_elements(std::string_view value) {
  std::vector<std::string_view> out;
  for (;;) {
    const auto comma = value.find(',');
    const auto element = trim(value.substr(0, comma));
    if (!element.empty()) out.push_back(element);
    if (comma == std::string_view::npos) return out;
    value.remove_prefix(comma + 1);
  }
}

// quoted-string at the start of `s`; its length, or 0 when it is not one.
std::size_t quoted_string_length(std::string_view s) {
  if (s.empty() || s[0] != '"') return 0;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] == '"') return i + 1;
    if (s[i] == '\\')
      ++i;
    else if (!is_value_char(s[i]))
      return 0;
  }
  return 0;
}

// `*( OWS ";" OWS name [ OWS "=" OWS value ] )`, the parameters of a transfer
// coding (value required) and of a chunk (chunk-ext, value optional).
bool valid_parameters(std::string_view s, bool value_required) {
  for (;;) {
    s = trim(s);
    if (s.empty()) return true;
    if (s[0] != ';') return false;
    s = trim(s.substr(1));
    std::size_t n = 0;
    while (n < s.size() && is_tchar(s[n])) ++n;
    if (n == 0) return false;
    s = trim(s.substr(n));
    if (s.empty() || s[0] != '=') {
      if (value_required) return false;
      continue;
    }
    s = trim(s.substr(1));
    n = quoted_string_length(s);
    if (n == 0)
      while (n < s.size() && is_tchar(s[n])) ++n;
    if (n == 0) return false;
    s.remove_prefix(n);
  }
}

class Reader {
 public:
  Reader(std::string_view in, bool at_eof) : in_(in), at_eof_(at_eof) {}

  enum class Got { line, more, bad };

  // One CRLF-terminated line; a bare LF or a CR elsewhere is an error.
  Got line(std::string_view& out, std::string& error) {
    const auto lf = in_.find('\n', pos_);
    if (lf == std::string_view::npos) {
      if (in_.size() - pos_ > kHeadLimit) return fail(error, "line longer than 64 KiB");
      return Got::more;
    }
    if (lf == pos_ || in_[lf - 1] != '\r') return fail(error, "bare LF as a line ending");
    out = in_.substr(pos_, lf - 1 - pos_);
    if (out.find('\r') != std::string_view::npos) return fail(error, "bare CR inside a line");
    pos_ = lf + 1;
    return Got::line;
  }

  std::size_t pos() const { return pos_; }
  std::size_t left() const { return in_.size() - pos_; }
  std::string_view take(std::size_t n) {
    const auto s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string_view peek(std::size_t n) const { return in_.substr(pos_, n); }
  bool at_eof() const { return at_eof_; }

 private:
  static Got fail(std::string& error, const char* why) {
    error = why;
    return Got::bad;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
  bool at_eof_;
};

Parsed error(std::string why) {
  Parsed p;
  p.state = State::error;
  p.error = std::move(why);
  return p;
}

Parsed more() { return Parsed{}; }

bool parse_version(std::string_view s, int& version) {
  if (s == "HTTP/1.1")
    version = 11;
  else if (s == "HTTP/1.0")
    version = 10;
  else
    return false;
  return true;
}

// Field lines up to the empty line, into `fields`. Returns "" when done,
// "more" when the section is not all there, else what is wrong.
std::string parse_fields(Reader& r, std::vector<std::pair<std::string, std::string>>& fields) {
  std::string why;
  for (;;) {
    std::string_view line;
    const auto got = r.line(line, why);
    if (got == Reader::Got::more) return "more";
    if (got == Reader::Got::bad) return why;
    if (line.empty()) return "";
    if (is_ows(line[0])) return "obs-fold or whitespace before a field line";
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return "field line without a colon";
    const auto name = line.substr(0, colon);
    if (!is_token(name))
      return is_ows(name.back()) ? "whitespace between field name and colon" : "field name is not a token";
    const auto value = trim(line.substr(colon + 1));
    for (char c : value) {
      if (c == '\0') return "NUL in a field value";
      if (!is_value_char(c)) return "control character in a field value";
    }
    fields.emplace_back(ascii_lower(name), std::string(value));
  }
}

}  // namespace

std::string Message::field(std::string_view lower_name) const {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (name != lower_name) continue;
    if (!out.empty()) out += ", ";
    out += value;
  }
  return out;
}

bool Message::has(std::string_view lower_name) const {
  for (const auto& f : fields)
    if (f.first == lower_name) return true;
  return false;
}

bool Message::has_trailer(std::string_view lower_name) const {
  for (const auto& f : trailers)
    if (f.first == lower_name) return true;
  return false;
}

bool Message::wants_close() const {
  bool close = false, keep_alive = false;
  const std::string connection = field("connection");  // the views below point into it
  for (auto option : list_elements(connection)) {
    const auto o = ascii_lower(option);
    close = close || o == "close";
    keep_alive = keep_alive || o == "keep-alive";
  }
  return close || (version == 10 && !keep_alive);
}

Parsed parse_message(std::string_view bytes, bool request, std::string_view request_method, bool at_eof) {
  Reader r(bytes, at_eof);
  Message m;
  m.request = request;
  std::string why;
  std::string_view line;

  // The start line. A server ignores empty lines before a request (RFC 9112 2.2).
  for (int blank = 0;; ++blank) {
    const auto got = r.line(line, why);
    if (got == Reader::Got::more) return more();
    if (got == Reader::Got::bad) return error(why);
    if (!line.empty()) break;
    if (!request || blank >= 4) return error("empty line instead of a start line");
  }
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (request) {
    if (sp2 == std::string_view::npos) return error("request line is not METHOD SP TARGET SP VERSION");
    m.method = line.substr(0, sp1);
    m.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    if (!is_token(m.method)) return error("method is not a token");
    if (m.target.empty()) return error("empty request target");
    for (char c : m.target)
      if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return error("control character in the target");
    if (!parse_version(line.substr(sp2 + 1), m.version)) return error("not HTTP/1.0 or HTTP/1.1");
  } else {
    if (sp1 == std::string_view::npos || !parse_version(line.substr(0, sp1), m.version))
      return error("status line does not start with HTTP/1.x SP");
    const auto code = line.substr(sp1 + 1, sp2 == std::string_view::npos ? std::string_view::npos : sp2 - sp1 - 1);
    if (code.size() != 3 || !is_digit(code[0]) || !is_digit(code[1]) || !is_digit(code[2]))
      return error("status code is not three digits");
    m.status = std::stoi(std::string(code));
    if (m.status < 100 || m.status > 599) return error("status code outside 100..599");
    if (sp2 != std::string_view::npos)
      for (char c : line.substr(sp2 + 1))
        if (!is_value_char(c)) return error("control character in the reason phrase");
  }

  why = parse_fields(r, m.fields);
  if (why == "more") return more();
  if (!why.empty()) return error(why);

  // Framing (RFC 9112 6.1-6.3), decided once from the whole head.
  enum class Body { none, length, chunked, until_close } body = Body::none;
  std::uint64_t length = 0;
  const bool no_body_response =
      !request && (request_method == "HEAD" || m.status < 200 || m.status == 204 || m.status == 304);
  const bool has_te = m.has("transfer-encoding"), has_cl = m.has("content-length");
  if (has_te) {
    if (m.version == 10) return error("HTTP/1.0 message with Transfer-Encoding");
    if (has_cl) return error("both Transfer-Encoding and Content-Length");
    const std::string transfer_encoding = m.field("transfer-encoding");  // the views below point into it
    const auto codings = list_elements(transfer_encoding);
    if (codings.empty()) return error("empty Transfer-Encoding");
    int chunked = 0;
    for (auto coding : codings) {
      std::size_t n = 0;
      while (n < coding.size() && is_tchar(coding[n])) ++n;
      if (n == 0 || !valid_parameters(coding.substr(n), true)) return error("bad transfer-coding syntax");
      if (ascii_lower(coding.substr(0, n)) == "chunked") {
        if (n != coding.size()) return error("chunked with parameters");
        ++chunked;
      }
    }
    if (chunked > 1) return error("chunked applied more than once");
    const bool last_is_chunked = ascii_lower(codings.back()) == "chunked";
    if (last_is_chunked)
      body = Body::chunked;
    else if (request)
      return error("final transfer coding is not chunked");
    else
      body = Body::until_close;
  } else if (has_cl) {
    bool first = true;
    for (const auto& [name, value] : m.fields) {
      if (name != "content-length") continue;
      // Not list_elements(): an empty element here is an error, not nothing.
      std::string_view rest = value;
      for (;;) {
        const auto comma = rest.find(',');
        const auto element = trim(rest.substr(0, comma));
        if (element.empty()) return error("empty Content-Length element");
        if (element.size() > kMaxLengthDigits) return error("Content-Length too large");
        for (char c : element)
          if (!is_digit(c)) return error("Content-Length is not digits");
        const auto v = std::stoull(std::string(element));
        if (!first && v != length) return error("conflicting Content-Length values");
        length = v;
        first = false;
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    }
    body = Body::length;
  } else if (!request) {
    body = Body::until_close;
  }
  if (no_body_response || m.status == 101) body = Body::none;

  switch (body) {
    case Body::none:
      break;
    case Body::length:
      if (r.left() < length) return more();
      m.body = r.take(static_cast<std::size_t>(length));
      break;
    case Body::until_close:
      if (!at_eof) return more();
      m.body = r.take(r.left());
      break;
    case Body::chunked:
      m.chunked = true;
      for (;;) {
        const auto got = r.line(line, why);
        if (got == Reader::Got::more) return more();
        if (got == Reader::Got::bad) return error("chunk line: " + why);
        std::size_t digits = 0;
        while (digits < line.size() && is_hex(line[digits])) ++digits;
        if (digits == 0) return error("chunk size is not hex");
        std::size_t significant = digits;
        for (std::size_t i = 0; i < digits && line[i] == '0' && significant > 1; ++i) --significant;
        if (significant > kMaxChunkDigits) return error("chunk size overflow");
        if (!valid_parameters(line.substr(digits), false)) return error("junk or bad extension after chunk size");
        const auto size = std::stoull(std::string(line.substr(0, digits)), nullptr, 16);
        if (size == 0) {
          why = parse_fields(r, m.trailers);
          if (why == "more") return more();
          if (!why.empty()) return error("trailer section: " + why);
          break;
        }
        if (r.left() < size + 2) return more();
        m.body += r.take(static_cast<std::size_t>(size));
        if (r.take(2) != "\r\n") return error("chunk data not followed by CRLF");
      }
      break;
  }
  Parsed p;
  p.state = State::complete;
  p.used = r.pos();
  p.message = std::move(m);
  return p;
}

std::string escape(std::string_view bytes, std::size_t limit) {
  std::string out;
  for (char ch : bytes) {
    if (out.size() >= limit) {
      out += "...(" + std::to_string(bytes.size()) + " bytes)";
      break;
    }
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '\r')
      out += "\\r";
    else if (ch == '\n')
      out += "\\n";
    else if (ch == '\t')
      out += "\\t";
    else if (ch == '\\')
      out += "\\\\";
    else if (c < 0x20 || c >= 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else
      out += ch;
  }
  return out;
}

}  // namespace platespin::framing
