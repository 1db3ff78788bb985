#pragma once
// Content-Type by file extension, for the files a flag tree holds.
#include <string_view>

namespace platespin {

// "image/gif" for "ad.gif"; the extension is matched without regard to case;
// "application/octet-stream" for anything not in the table.
std::string_view mime_type_for(std::string_view path);

}  // namespace platespin
