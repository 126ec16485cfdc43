#include "shared/kubeconfig/credential_providers.h"

#include <utility>

#include "shared/kubeconfig/file_util.h"

namespace kargo_token::kubeconfig {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n\v\f";

}  // namespace

StaticCredentialProvider::StaticCredentialProvider(Credentials credentials)
    : credentials_(std::move(credentials)) {}

Result<Credentials> StaticCredentialProvider::Get(bool /*refresh*/) { return credentials_; }

Result<SecretString> ReadTokenFile(const std::string& path) {
  KT_ASSIGN_OR_RETURN(std::string content, ReadFileToString(path, 1 << 20));
  SecretString raw(std::move(content));
  const std::string& text = raw.Reveal();
  size_t begin = text.find_first_not_of(kWhitespace);
  if (begin == std::string::npos) {
    return Error::InvalidArgument("read empty token from file \"" + path + "\"");
  }
  size_t end = text.find_last_not_of(kWhitespace);
  return SecretString(text.substr(begin, end - begin + 1));
}

TokenFileCredentialProvider::TokenFileCredentialProvider(std::string path, Credentials base,
                                                         Clock clock)
    : path_(std::move(path)),
      base_(std::move(base)),
      clock_(clock ? std::move(clock) : Clock(&std::chrono::steady_clock::now)) {}

Result<Credentials> TokenFileCredentialProvider::Get(bool refresh) {
  std::lock_guard<std::mutex> lock(mu_);
  auto now = clock_();
  if (refresh || !token_ || now - read_at_ >= kRereadPeriod) {
    Result<SecretString> token = ReadTokenFile(path_);
    if (token.ok()) {
      token_ = std::move(*token);
      read_at_ = now;
    } else if (!token_) {
      return std::move(token).error();
    }
  }
  Credentials credentials = base_;
  credentials.bearer_token = *token_;
  return credentials;
}

}  // namespace kargo_token::kubeconfig
