#include "shared/kube/http_message.h"

#include <strings.h>

namespace kargo_token::kube {

std::string_view HeaderValue(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0)
      return value;
  }
  return {};
}

}  // namespace kargo_token::kube
