#include "process_setup.hpp"

#include <sys/resource.h>

#include <cstdio>

namespace platespin {

std::uint64_t raise_open_file_limit(std::uint64_t wanted) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
    getrlimit(RLIMIT_NOFILE, &lim);
  }
  if (lim.rlim_cur < wanted)
    std::fprintf(stderr, "warning: open-file limit is %llu, below the %llu asked for; raise `ulimit -Hn`\n",
                 static_cast<unsigned long long>(lim.rlim_cur), static_cast<unsigned long long>(wanted));
  return lim.rlim_cur;
}

std::filesystem::path executable_dir() { return std::filesystem::canonical("/proc/self/exe").parent_path(); }

}  // namespace platespin
