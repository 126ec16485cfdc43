#include "shared/kubeconfig/overrides.h"

#include <cstdlib>

namespace kargo_token::kubeconfig {

std::optional<std::string> LoaderOverrides::Env(const std::string& name) const {
  if (getenv) return getenv(name);
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

}  // namespace kargo_token::kubeconfig
