#pragma once
// The downloaded files: what a flag must be, names as the book gives them,
// and written whole.
#include <filesystem>
#include <string>
#include <string_view>

namespace platespin {

// The book's flags3 name: "<CC>-<country with '_' for spaces>.gif" (and no '/').
std::string metadata_file_name(const std::string& cc, const std::string& country);

// True when `body` starts with a GIF signature (GIF87a or GIF89a): every
// picture of the book's data set is a GIF.
bool is_flag_picture(std::string_view body);

// Writes `bytes` to a temporary file beside `path` and renames it over `path`,
// so a reader never sees half a file. Throws std::runtime_error naming the path.
void write_file_whole(const std::filesystem::path& path, const std::string& bytes);

}  // namespace platespin
