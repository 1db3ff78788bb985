#pragma once
// Starting the real binaries for integration tests: port 0, then wait for the
// "listening on" line(s). No sleeps, no mocks.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "child_process.hpp"

namespace platespin::test {

// A binary the build produced (build/<preset>/bin/NAME).
std::filesystem::path binary(const std::string& name);

// The data set the build wrote (its flags/<cc>/<cc>.gif tree).
std::filesystem::path data_root();

// The book's flags.zip beside the project, or an empty path when it is absent.
std::filesystem::path book_flags_zip();

struct Service {
  std::unique_ptr<ChildProcess> process;
  std::vector<Endpoint> listening;  // in the order the binary announced them
  std::uint16_t port(std::size_t i = 0) const { return listening.at(i).port; }
  std::string url(std::size_t i = 0, const std::string& path = "") const;  // http://127.0.0.1:PORT + path
};

// Starts binary `name` with `args` and waits for `listeners` "listening on" lines.
Service start_service(const std::string& name, const std::vector<std::string>& args, std::size_t listeners = 1);

// flag_server on port 0 serving the build's data set, plus `extra` arguments.
Service start_flag_server(const std::vector<std::string>& extra = {});

// A whole file's bytes ("" when it cannot be read).
std::string read_file(const std::filesystem::path& path);


// The URL path of a country's flag GIF in the data set: "BR" -> "/flags/br/br.gif".
std::string flag_path(const std::string& cc);

// A fresh empty directory under the test's temp dir, removed at exit of the process.
std::filesystem::path temp_dir(const std::string& hint);

}  // namespace platespin::test
