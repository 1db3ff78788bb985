#pragma once
// Content-Type by file extension: Debian's /etc/mime.types when it is there
// (package media-types, the list nginx's and Apache's own tables come from),
// a small built-in table for what it does not name or when it is absent.
#include <istream>
#include <string>
#include <string_view>
#include <unordered_map>

namespace platespin {

class MimeTypes {
 public:
  // The built-in table alone: gif, png, svg, json, html, htm, txt, jpg, jpeg.
  MimeTypes();

  // Adds each "type ext1 ext2 ..." line of a mime.types file ('#' starts a
  // comment); what it names wins over the built-in table.
  void read(std::istream& mime_types);

  // "image/gif" for "ad.gif"; the extension is matched without regard to case;
  // text types get "; charset=utf-8"; "application/octet-stream" for anything
  // not in the table.
  std::string_view type_for(std::string_view path) const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  void add(std::string_view extension, std::string_view type);
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> by_extension_;  // lower-case extension
};

// The table flag_server uses: the built-in one and /etc/mime.types when it can
// be read, loaded once, on first use.
const MimeTypes& system_mime_types();

// system_mime_types().type_for(path).
std::string_view mime_type_for(std::string_view path);

}  // namespace platespin
