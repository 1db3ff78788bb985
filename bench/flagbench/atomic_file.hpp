#pragma once
// Files are written whole or not at all (DESIGN.md): a temp file, then rename.
#include <filesystem>
#include <string>

namespace platespin::bench {

// Throws std::runtime_error naming the file.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

}  // namespace platespin::bench
