#pragma once
// The downloaded files: what a flag must be, names as the book gives them,
// and written whole (write_file_whole, shared with flagbench).
#include <filesystem>
#include <string>
#include <string_view>

#include "file_write.hpp"

namespace platespin {

// Longest name metadata_file_name() makes, in bytes: below NAME_MAX (255) of
// every Linux file system, with room for write_file_whole()'s temp suffix.
inline constexpr std::size_t kMaxFileNameBytes = 200;

// The book's flags3 name: "<country with '_' for spaces>-<CC>.gif", safe for
// any metadata.json: '/', NUL and the other control characters become '_' (a
// NUL would cut the name, a '/' leave the folder), and a long name is cut to
// kMaxFileNameBytes on a UTF-8 character boundary.
std::string metadata_file_name(const std::string& cc, const std::string& country);

// True when `body` starts with a GIF signature (GIF87a or GIF89a): every
// picture of the book's data set is a GIF.
bool is_flag_picture(std::string_view body);

}  // namespace platespin
