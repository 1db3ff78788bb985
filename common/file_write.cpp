#include "file_write.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace platespin {

void write_file_whole(const std::filesystem::path& path, const std::string& bytes) {
  // The pid and the thread keep concurrent writers of the same name apart (--repeat).
  const auto temp = std::filesystem::path(path).concat(
      ".tmp." + std::to_string(::getpid()) + "." + std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id())));
  // POSIX calls, so that errno is read right after the call that set it (an
  // ofstream says only that something failed, and later calls may change errno).
  const auto fail = [&path](int error) {
    return std::runtime_error("cannot write " + path.string() + ": " + std::strerror(error));
  };
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw fail(errno);
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      throw fail(error);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    throw fail(error);
  }
  std::error_code renamed;
  std::filesystem::rename(temp, path, renamed);
  if (renamed) {
    // Its own error code: removing the temp file must not overwrite the
    // reason (it did: "cannot write downloads/br.gif: Success").
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw std::runtime_error("cannot write " + path.string() + ": " + renamed.message());
  }
}

}  // namespace platespin
