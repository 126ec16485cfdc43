#include "shared/base/secret_process.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace kargo_token {

Result<void> KeepSecretsOutOfDumps() {
  rlimit no_core{0, 0};
  if (setrlimit(RLIMIT_CORE, &no_core) != 0) {
    return Error::Internal(std::string("setrlimit(RLIMIT_CORE, 0): ") + std::strerror(errno));
  }
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    return Error::Internal(std::string("prctl(PR_SET_DUMPABLE, 0): ") + std::strerror(errno));
  }
  return Ok();
}

}  // namespace kargo_token
