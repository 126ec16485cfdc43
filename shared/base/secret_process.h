// KeepSecretsOutOfDumps: process set-up for a program that holds credentials
// in memory (the plugin holds a new token until it has printed it). No core
// file may be written and no other process of the same user may attach to
// or read this one's memory (ptrace, /proc/PID/mem).
#ifndef KARGO_TOKEN_SHARED_BASE_SECRET_PROCESS_H_
#define KARGO_TOKEN_SHARED_BASE_SECRET_PROCESS_H_

#include "shared/base/result.h"

namespace kargo_token {

// KeepSecretsOutOfDumps sets RLIMIT_CORE to 0 (soft and hard, so children
// such as exec credential helpers inherit it and cannot raise it) and marks
// the process not dumpable (prctl PR_SET_DUMPABLE 0). Errors name the call
// that failed; callers may go on without the protection.
Result<void> KeepSecretsOutOfDumps();

}  // namespace kargo_token

#endif  // KARGO_TOKEN_SHARED_BASE_SECRET_PROCESS_H_
