// SecretString holds credential material (tokens, private keys). It never
// prints its content: operator<< writes "[REDACTED]", and the only way to read
// it is the explicit Reveal(). Destruction overwrites the buffer.
#ifndef KARGO_TOKEN_SHARED_BASE_SECRET_STRING_H_
#define KARGO_TOKEN_SHARED_BASE_SECRET_STRING_H_

#include <openssl/crypto.h>

#include <ostream>
#include <string>
#include <utility>

namespace kargo_token {

class SecretString {
 public:
  SecretString() = default;
  explicit SecretString(std::string value) : value_(std::move(value)) {}
  SecretString(const SecretString&) = default;
  SecretString& operator=(const SecretString& other) {
    if (this != &other) { Wipe(); value_ = other.value_; }
    return *this;
  }
  SecretString(SecretString&& other) noexcept : value_(std::move(other.value_)) { other.Wipe(); }
  SecretString& operator=(SecretString&& other) noexcept {
    if (this != &other) { Wipe(); value_ = std::move(other.value_); other.Wipe(); }
    return *this;
  }
  ~SecretString() { Wipe(); }

  bool empty() const { return value_.empty(); }
  // Reveal returns the secret itself; call it only where the value is sent to
  // the server or printed once on purpose.
  const std::string& Reveal() const { return value_; }

  friend bool operator==(const SecretString& a, const SecretString& b) {
    return a.value_.size() == b.value_.size() &&
           CRYPTO_memcmp(a.value_.data(), b.value_.data(), a.value_.size()) == 0;
  }
  friend std::ostream& operator<<(std::ostream& os, const SecretString&) {
    return os << "[REDACTED]";
  }

 private:
  void Wipe() {
    if (!value_.empty()) OPENSSL_cleanse(value_.data(), value_.size());
    value_.clear();
  }
  std::string value_;
};

}  // namespace kargo_token

#endif  // KARGO_TOKEN_SHARED_BASE_SECRET_STRING_H_
