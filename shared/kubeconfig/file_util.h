// File helpers for kubeconfig loading whose errors read like Go's os package
// ("open /x: no such file or directory"), which kubectl users know.
#ifndef KARGO_TOKEN_SHARED_KUBECONFIG_FILE_UTIL_H_
#define KARGO_TOKEN_SHARED_KUBECONFIG_FILE_UTIL_H_

#include <string>

#include "shared/base/result.h"

namespace kargo_token::kubeconfig {

// ReadFileToString returns the whole content of a regular file. Errors are
// kNotFound ("open <path>: no such file or directory") or kIo ("read <path>:
// is a directory", "open <path>: permission denied"). Files larger than
// `max_bytes` are rejected so a wrong path (e.g. /dev/zero) cannot exhaust us.
Result<std::string> ReadFileToString(const std::string& path, size_t max_bytes = 16 << 20);

// FileExists reports whether `path` names an existing file system entry.
bool FileExists(const std::string& path);

// ErrnoText returns strerror(err) with a lower-case first letter, as Go
// prints syscall errors.
std::string ErrnoText(int err);

// AbsoluteDir returns the absolute directory containing `path`.
std::string AbsoluteDir(const std::string& path);

// ResolveAgainst returns `path` joined to `dir` unless it is empty or absolute.
std::string ResolveAgainst(const std::string& dir, const std::string& path);

}  // namespace kargo_token::kubeconfig

#endif  // KARGO_TOKEN_SHARED_KUBECONFIG_FILE_UTIL_H_
