#pragma once
// A strict XML 1.0 well-formedness check that also returns the element tree,
// for tests of the SVG and XHTML flagbench writes. Boost.PropertyTree's reader
// does not check that closing tags match nor that entities are defined, so
// it would pass a page a browser's XML parser refuses. No DTDs beyond a
// bare <!DOCTYPE name>, no namespaces resolved (names are kept as written).
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace platespin::test {

struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;  // values with references decoded
  std::vector<XmlElement> children;
  std::string text;  // the element's own character data, children's left out

  std::string attribute(const std::string& key) const;  // "" when absent
  // Every element below this one (not itself) for which `match` holds, in document order.
  template <typename Match>
  void find_all(const Match& match, std::vector<const XmlElement*>& out) const {
    for (const auto& child : children) {
      if (match(child)) out.push_back(&child);
      child.find_all(match, out);
    }
  }
  std::vector<const XmlElement*> with_class(const std::string& name, const std::string& css_class) const;
};

struct XmlError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The root element; throws XmlError naming the line and what is wrong.
XmlElement parse_xml(const std::string& text);

}  // namespace platespin::test
