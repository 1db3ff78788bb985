#pragma once
// What a fuzz target asserts. A broken invariant names itself and aborts, so
// libFuzzer keeps the input as a crash; unlike assert() it holds whatever NDEBUG says.
#include <cstdio>
#include <cstdlib>

#define PLATESPIN_FUZZ_CHECK(condition)                                                               \
  do {                                                                                                \
    if (!(condition)) {                                                                               \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition);         \
      std::abort();                                                                                   \
    }                                                                                                 \
  } while (false)
