#include "http_framing.hpp"

#include <limits>
#include <optional>
#include <vector>

namespace platespin {

namespace {

bool is_ows(char c) { return c == ' ' || c == '\t'; }

// RFC 9110 §5.6.2 tchar.
bool is_tchar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s)
    if (!is_tchar(c)) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// The elements of every line's comma-separated list, in order, trimmed;
// empty ones included (a list may skip them, a number may not).
std::vector<std::string_view> all_elements(std::span<const std::string_view> lines) {
  std::vector<std::string_view> out;
  for (std::string_view line : lines) {
    for (;;) {
      const auto comma = line.find(',');
      out.push_back(trim(line.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      line.remove_prefix(comma + 1);
    }
  }
  return out;
}

// The elements of a list field; empty elements are dropped (RFC 9110 §5.6.1).
std::vector<std::string_view> list_elements(std::span<const std::string_view> lines) {
  auto out = all_elements(lines);
  std::erase(out, std::string_view());
  return out;
}

struct Codings {
  std::vector<std::string_view> names;  // each coding's name, parameters left out
  std::size_t chunked = 0;              // how many are "chunked"
  bool chunked_has_parameters = false;  // chunked takes none (RFC 9112 §7.1)
  bool malformed = false;
};

Codings transfer_codings(std::span<const std::string_view> lines) {
  Codings c;
  for (const auto element : list_elements(lines)) {
    const auto semicolon = element.find(';');
    const auto name = trim(element.substr(0, semicolon));
    if (!is_token(name)) c.malformed = true;
    if (iequals(name, "chunked")) {
      ++c.chunked;
      if (semicolon != std::string_view::npos) c.chunked_has_parameters = true;
    }
    c.names.push_back(name);
  }
  if (c.names.empty()) c.malformed = true;
  return c;
}

// One Content-Length element: true when it is 1*DIGIT and the same as
// `length` (the value so far, which it sets at the first one).
bool equal_digits(std::string_view element, std::optional<std::uint64_t>& length) {
  if (element.empty()) return false;
  std::uint64_t value = 0;
  for (const char c : element) {
    if (c < '0' || c > '9') return false;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return false;
    value = value * 10 + digit;
  }
  if (length && *length != value) return false;
  length = value;
  return true;
}

// Every Content-Length value, lines and list elements alike, must be the same
// 1*DIGIT (RFC 9110 §8.6); nullopt otherwise. Not a list with empty elements
// ("5,,5"): the field is one number, repeated at most, and Beast refuses them too.
std::optional<std::uint64_t> content_length(std::span<const std::string_view> lines) {
  std::optional<std::uint64_t> length;
  for (const auto element : all_elements(lines))
    if (!equal_digits(element, length)) return std::nullopt;
  return length;
}

std::string join(std::span<const std::string_view> names) {
  std::string out;
  for (const auto name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

Framing by_length(std::span<const std::string_view> content_length_lines, int refusal) {
  const auto length = content_length(content_length_lines);
  if (!length) return Framing::refuse(refusal, "Content-Length is not one non-negative number");
  Framing f;
  f.body = Framing::Body::length;
  f.length = *length;
  return f;
}

}  // namespace

Framing request_framing(int version, std::span<const std::string_view> transfer_encoding,
                        std::span<const std::string_view> content_length_lines) {
  if (!transfer_encoding.empty()) {
    if (!content_length_lines.empty()) return Framing::refuse(400, "both Transfer-Encoding and Content-Length");
    // RFC 9112 §6.1: an HTTP/1.0 recipient cannot know the coding; its framing is faulty.
    if (version < 11) return Framing::refuse(400, "Transfer-Encoding in an HTTP/1.0 request");
    const Codings codings = transfer_codings(transfer_encoding);
    if (codings.malformed) return Framing::refuse(400, "malformed Transfer-Encoding");
    if (!iequals(codings.names.back(), "chunked")) return Framing::refuse(400, "the last transfer coding is not chunked");
    if (codings.chunked > 1 || codings.chunked_has_parameters) return Framing::refuse(400, "chunked applied twice or with parameters");
    // Other codings under chunked are legal but nobody sends them; nginx answers 501 too.
    if (codings.names.size() > 1) return Framing::refuse(501, "a transfer coding other than chunked");
    Framing f;
    f.body = Framing::Body::chunked;
    return f;
  }
  if (!content_length_lines.empty()) return by_length(content_length_lines, 400);
  return Framing{};
}

Framing response_framing(int status, bool to_head, std::span<const std::string_view> transfer_encoding,
                         std::span<const std::string_view> content_length_lines) {
  // RFC 9112 §6.3 rules 1 and 2: whatever the header says, there is no body.
  if (to_head || (status >= 100 && status < 200) || status == 204 || status == 304) return Framing{};
  if (!transfer_encoding.empty()) {
    if (!content_length_lines.empty()) return Framing::refuse(502, "the backend sent both Transfer-Encoding and Content-Length");
    const Codings codings = transfer_codings(transfer_encoding);
    if (codings.malformed) return Framing::refuse(502, "the backend sent a malformed Transfer-Encoding");
    Framing f;
    if (codings.chunked == 0) {  // rule 4: read until the backend closes
      f.body = Framing::Body::until_close;
      f.codings = join(codings.names);
      return f;
    }
    if (codings.chunked > 1 || codings.chunked_has_parameters || !iequals(codings.names.back(), "chunked"))
      return Framing::refuse(502, "the backend sent chunked not last, or twice");
    f.body = Framing::Body::chunked;
    f.codings = join(std::span(codings.names).first(codings.names.size() - 1));
    return f;
  }
  if (!content_length_lines.empty()) return by_length(content_length_lines, 502);
  Framing f;
  f.body = Framing::Body::until_close;
  return f;
}

}  // namespace platespin
