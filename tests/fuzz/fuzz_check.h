// FUZZ_CHECK: a property every fuzz target asserts about the code under test.
// A failed check prints what broke and aborts, which libFuzzer (and the
// replay driver under CTest) reports as a crash with the input kept.
#ifndef KARGO_TOKEN_TESTS_FUZZ_FUZZ_CHECK_H_
#define KARGO_TOKEN_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                              \
  do {                                                                                     \
    if (!(condition)) {                                                                    \
      std::fprintf(stderr, "%s:%d: fuzz property failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                        \
    }                                                                                      \
  } while (0)

#endif  // KARGO_TOKEN_TESTS_FUZZ_FUZZ_CHECK_H_
