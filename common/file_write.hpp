#pragma once
// Files are written whole or not at all (DESIGN.md): every result, page,
// chart and downloaded flag goes through this one function.
#include <filesystem>
#include <string>

namespace platespin {

// Writes `bytes` to a temporary file beside `path` (named by the pid and the
// thread, so concurrent writers of one name stay apart) and renames it over
// `path`: a reader never sees half a file. Throws std::runtime_error
// "cannot write PATH: REASON", the reason read where the system set it.
void write_file_whole(const std::filesystem::path& path, const std::string& bytes);

}  // namespace platespin
