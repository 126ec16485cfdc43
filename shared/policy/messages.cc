#include "shared/policy/messages.h"

#include "shared/kargo/names.h"

namespace kargo_token::policy {
namespace {

// The bare name when safe to show, else a placeholder.
std::string SafeName(std::string_view name) {
  if (name.empty()) return "(no name)";
  if (!kargo::IsDns1123Subdomain(name).empty()) return "(an invalid name)";
  return std::string(name);
}

}  // namespace

std::string QuoteName(std::string_view name) {
  std::string safe = SafeName(name);
  return safe.front() == '(' ? safe : "\"" + safe + "\"";
}

std::string SecretRef(const SecretView& secret) {
  return "token Secret \"" + SafeName(secret.namespace_name) + "/" + SafeName(secret.name) + "\"";
}

std::string WithRule(std::string message, std::string_view rule) {
  return message + " (rule: " + std::string(rule) + ")";
}

std::string RoleCreateHint(std::string_view ns, std::string_view sa_name, bool system) {
  std::string sa = SafeName(sa_name);
  if (system) return "kubectl kargo-token role create --system " + sa;
  return "kubectl kargo-token role create -n " + SafeName(ns) + " " + sa;
}

}  // namespace kargo_token::policy
