#pragma once
// The downloaded files: names as the book gives them, and written whole.
#include <filesystem>
#include <string>

namespace platespin {

// The book's flags3 name: "<CC>-<country with '_' for spaces>.gif" (and for '/' and NUL).
std::string metadata_file_name(const std::string& cc, const std::string& country);

// Writes `bytes` to a temporary file beside `path` and renames it over `path`,
// so a reader never sees half a file. Throws std::runtime_error naming the path.
void write_file_whole(const std::filesystem::path& path, const std::string& bytes);

}  // namespace platespin
