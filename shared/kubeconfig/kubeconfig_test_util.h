// Test helpers for shared/kubeconfig tests: a temporary directory that is
// removed afterwards, and an injectable environment.
#ifndef KARGO_TOKEN_SHARED_KUBECONFIG_KUBECONFIG_TEST_UTIL_H_
#define KARGO_TOKEN_SHARED_KUBECONFIG_KUBECONFIG_TEST_UTIL_H_

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "shared/kubeconfig/overrides.h"

namespace kargo_token::kubeconfig::testing {

// TempDir creates /tmp/kt-kubeconfig-XXXXXX and removes it on destruction.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/kt-kubeconfig-XXXXXX";
    char* made = mkdtemp(tmpl);
    path_ = made != nullptr ? made : "/tmp";
  }
  ~TempDir() {
    std::error_code ec;
    if (path_ != "/tmp") std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Path(const std::string& relative) const { return path_ + "/" + relative; }

  // Write creates `relative` (and its parent directories) with `content`.
  std::string Write(const std::string& relative, const std::string& content, mode_t mode = 0600) {
    std::string full = Path(relative);
    std::filesystem::create_directories(std::filesystem::path(full).parent_path());
    std::ofstream(full, std::ios::binary | std::ios::trunc) << content;
    chmod(full.c_str(), mode);
    return full;
  }
  // WriteScript writes an executable /bin/sh script.
  std::string WriteScript(const std::string& relative, const std::string& body) {
    return Write(relative, "#!/bin/sh\n" + body, 0700);
  }

 private:
  std::string path_;
};

// EnvFrom returns a GetEnvFunc reading only `vars`.
inline GetEnvFunc EnvFrom(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace kargo_token::kubeconfig::testing

#endif  // KARGO_TOKEN_SHARED_KUBECONFIG_KUBECONFIG_TEST_UTIL_H_
