// Credential providers for fixed credentials and for token files. The exec
// plugin provider is in shared/kubeconfig/exec_credential.h.
#ifndef KARGO_TOKEN_SHARED_KUBECONFIG_CREDENTIAL_PROVIDERS_H_
#define KARGO_TOKEN_SHARED_KUBECONFIG_CREDENTIAL_PROVIDERS_H_

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "shared/kubeconfig/client_config.h"

namespace kargo_token::kubeconfig {

// StaticCredentialProvider returns the same credentials every time (a token
// and/or a client certificate and key already read into memory).
class StaticCredentialProvider : public CredentialProvider {
 public:
  explicit StaticCredentialProvider(Credentials credentials);
  Result<Credentials> Get(bool refresh) override;

 private:
  const Credentials credentials_;
};

// TokenFileCredentialProvider reads a bearer token from a file (whitespace
// trimmed), keeps it for a minute, then re-reads it; `refresh` forces a
// re-read. If a re-read fails after a success the previous token is kept (as
// client-go's cachingTokenSource does); a first failure is an error such as
// `open /x: no such file or directory` or `read empty token from file "/x"`.
// `base` supplies a client certificate/key sent alongside. Thread-safe.
class TokenFileCredentialProvider : public CredentialProvider {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  static constexpr std::chrono::minutes kRereadPeriod{1};

  // `clock` null = steady_clock::now.
  TokenFileCredentialProvider(std::string path, Credentials base, Clock clock = nullptr);
  Result<Credentials> Get(bool refresh) override;

 private:
  const std::string path_;
  const Credentials base_;
  const Clock clock_;
  std::mutex mu_;
  std::optional<SecretString> token_;                // guarded by mu_
  std::chrono::steady_clock::time_point read_at_{};  // guarded by mu_
};

// ReadTokenFile returns the trimmed content of a token file; an empty token is
// an error.
Result<SecretString> ReadTokenFile(const std::string& path);

}  // namespace kargo_token::kubeconfig

#endif  // KARGO_TOKEN_SHARED_KUBECONFIG_CREDENTIAL_PROVIDERS_H_
