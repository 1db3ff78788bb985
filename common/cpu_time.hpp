#pragma once
// The CPU a process used, as every report counts it: user + system seconds.
#include <sys/resource.h>

namespace platespin {

inline double cpu_seconds(const rusage& usage) {
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace platespin
