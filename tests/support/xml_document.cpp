#include "xml_document.hpp"

#include <algorithm>
#include <cstdint>
#include <sstream>

namespace platespin::test {

namespace {

class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) {}

  XmlElement document() {
    check_characters();
    if (starts("<?xml")) skip_past("?>");
    misc();
    if (starts("<!DOCTYPE")) {
      pos_ += 9;
      require_space();
      name();
      skip_space();
      if (peek() == '[') fail("internal DTD subsets are not supported");
      expect(">");
      misc();
    }
    if (peek() != '<') fail("no root element");
    XmlElement root = element();
    misc();
    if (pos_ != s_.size()) fail("content after the root element");
    return root;
  }

 private:
  const std::string& s_;
  std::size_t pos_ = 0;

  [[noreturn]] void fail(const std::string& what) const {
    const auto line = 1 + std::count(s_.begin(), s_.begin() + static_cast<std::ptrdiff_t>(std::min(pos_, s_.size())), '\n');
    std::ostringstream out;
    out << "line " << line << ": " << what;
    throw XmlError(out.str());
  }
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  bool starts(const char* prefix) const { return s_.compare(pos_, std::char_traits<char>::length(prefix), prefix) == 0; }
  void expect(const char* token) {
    if (!starts(token)) fail(std::string("expected '") + token + "'");
    pos_ += std::char_traits<char>::length(token);
  }
  void skip_past(const char* end) {
    const auto at = s_.find(end, pos_);
    if (at == std::string::npos) fail(std::string("no closing '") + end + "'");
    pos_ = at + std::char_traits<char>::length(end);
  }
  static bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  void skip_space() {
    while (pos_ < s_.size() && space(s_[pos_])) ++pos_;
  }
  void require_space() {
    if (!space(peek())) fail("expected white space");
    skip_space();
  }

  // Control characters XML 1.0 does not allow, and bytes that are not UTF-8.
  void check_characters() {
    for (std::size_t i = 0; i < s_.size();) {
      const auto c = static_cast<unsigned char>(s_[i]);
      pos_ = i;
      if (c < 0x20 && !space(static_cast<char>(c))) fail("control character");
      std::size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
      if (n == 0 || i + n > s_.size()) fail("not UTF-8");
      for (std::size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s_[i + k]) & 0xC0) != 0x80) fail("not UTF-8");
      i += n;
    }
    pos_ = 0;
  }

  // Comments, processing instructions and white space.
  void misc() {
    for (;;) {
      skip_space();
      if (starts("<!--"))
        comment();
      else if (starts("<?"))
        skip_past("?>");
      else
        return;
    }
  }
  void comment() {
    pos_ += 4;
    const auto at = s_.find("--", pos_);
    if (at == std::string::npos || s_.compare(at, 3, "-->") != 0) fail("'--' inside a comment or no '-->'");
    pos_ = at + 3;
  }

  static bool name_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (c & 0x80);
  }
  std::string name() {
    const std::size_t start = pos_;
    if (!name_start(peek())) fail("expected a name");
    while (pos_ < s_.size() && (name_start(s_[pos_]) || (s_[pos_] >= '0' && s_[pos_] <= '9') || s_[pos_] == '-' ||
                                s_[pos_] == '.'))
      ++pos_;
    return s_.substr(start, pos_ - start);
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  // At '&': the five predefined entities and character references, nothing else.
  void reference(std::string& out) {
    ++pos_;
    const auto end = s_.find(';', pos_);
    if (end == std::string::npos || end - pos_ > 10) fail("'&' that starts no reference");
    const std::string ref = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    if (ref == "amp") out += '&';
    else if (ref == "lt") out += '<';
    else if (ref == "gt") out += '>';
    else if (ref == "quot") out += '"';
    else if (ref == "apos") out += '\'';
    else if (ref.size() > 1 && ref[0] == '#') {
      const bool hex = ref[1] == 'x';
      const std::string digits = ref.substr(hex ? 2 : 1);
      if (digits.empty() || digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") != std::string::npos)
        fail("bad character reference &" + ref + ";");
      const unsigned long cp = std::stoul(digits, nullptr, hex ? 16 : 10);
      if (cp == 0 || cp > 0x10FFFF || (cp < 0x20 && cp != 9 && cp != 10 && cp != 13) || (cp >= 0xD800 && cp <= 0xDFFF))
        fail("character reference to a character XML does not allow");
      append_utf8(out, static_cast<std::uint32_t>(cp));
    } else {
      fail("undefined entity &" + ref + ";");
    }
  }

  std::string attribute_value() {
    const char quote = peek();
    if (quote != '"' && quote != '\'') fail("attribute value without quotes");
    ++pos_;
    std::string value;
    while (peek() != quote) {
      if (pos_ >= s_.size()) fail("attribute value not closed");
      if (peek() == '<') fail("'<' in an attribute value");
      if (peek() == '&')
        reference(value);
      else
        value += s_[pos_++];
    }
    ++pos_;
    return value;
  }

  XmlElement element() {
    expect("<");
    XmlElement e;
    e.name = name();
    for (;;) {
      const bool had_space = space(peek());
      skip_space();
      if (starts("/>")) {
        pos_ += 2;
        return e;
      }
      if (peek() == '>') {
        ++pos_;
        break;
      }
      if (!had_space) fail("expected white space before an attribute");
      const std::string key = name();
      skip_space();
      expect("=");
      skip_space();
      if (!e.attributes.emplace(key, attribute_value()).second) fail("attribute '" + key + "' twice");
    }
    for (;;) {  // content
      if (pos_ >= s_.size()) fail("<" + e.name + "> not closed");
      if (starts("</")) {
        pos_ += 2;
        const std::string closing = name();
        if (closing != e.name) fail("</" + closing + "> closes <" + e.name + ">");
        skip_space();
        expect(">");
        return e;
      }
      if (starts("<!--")) {
        comment();
      } else if (starts("<![CDATA[")) {
        pos_ += 9;
        const auto end = s_.find("]]>", pos_);
        if (end == std::string::npos) fail("CDATA not closed");
        e.text += s_.substr(pos_, end - pos_);
        pos_ = end + 3;
      } else if (starts("<?")) {
        skip_past("?>");
      } else if (peek() == '<') {
        e.children.push_back(element());
      } else if (peek() == '&') {
        reference(e.text);
      } else {
        if (starts("]]>")) fail("']]>' in text");
        e.text += s_[pos_++];
      }
    }
  }
};

}  // namespace

std::string XmlElement::attribute(const std::string& key) const {
  const auto it = attributes.find(key);
  return it == attributes.end() ? "" : it->second;
}

std::vector<const XmlElement*> XmlElement::with_class(const std::string& element, const std::string& css_class) const {
  std::vector<const XmlElement*> out;
  find_all(
      [&](const XmlElement& e) {
        if (e.name != element) return false;
        std::istringstream classes(e.attribute("class"));
        for (std::string c; classes >> c;)
          if (c == css_class) return true;
        return false;
      },
      out);
  return out;
}

XmlElement parse_xml(const std::string& text) { return Parser(text).document(); }

}  // namespace platespin::test
