#include "plugin/ops/tokens.h"

#include "shared/kargo/labels.h"
#include "shared/kargo/meta.h"
#include "shared/kargo/token.h"
#include "shared/kubeconfig/base64.h"

namespace kargo_token::plugin::ops {
namespace {

Error NotFoundStatus(const std::string& group, const std::string& kind, const std::string& name,
                     const std::string& message) {
  ApiStatus s;
  s.code = 404;
  s.reason = "NotFound";
  s.message = message;
  s.name = name;
  s.group = group;
  s.kind = kind;
  return Error::FromApiStatus(std::move(s));
}

std::string Seconds(std::chrono::milliseconds d) {
  auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  return std::to_string(s) + "s";
}

}  // namespace

kube::ResourceRef SecretRef(const std::string& ns, const std::string& name) {
  return {"", "v1", "secrets", ns, name, ""};
}

kube::ResourceRef ServiceAccountRef(const std::string& ns, const std::string& name) {
  return {"", "v1", "serviceaccounts", ns, name, ""};
}

Result<json::Json> ResolveRole(kube::Client& client, const std::string& ns, const std::string& role,
                               bool system) {
  KT_ASSIGN_OR_RETURN(json::Json sa, client.Get(ServiceAccountRef(ns, role)));
  if (system && kargo::Label(sa, kargo::kLabelSystemRole).value_or("") != kargo::kTrue) {
    // apierrors.NewNotFound(GroupResource{rbac.kargo.akuity.io, Role}, name).
    return NotFoundStatus("rbac.kargo.akuity.io", "Role", role,
                          "Role.rbac.kargo.akuity.io \"" + role + "\" not found");
  }
  return sa;
}

Result<json::Json> WaitForToken(kube::Client& client, const json::Json& created,
                                std::chrono::milliseconds timeout, kube::CancelToken* cancel) {
  const std::string ns = kargo::Namespace(created), name = kargo::Name(created);
  if (kargo::HasTokenValue(created)) return created;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string rv = created.value("/metadata/resourceVersion"_json_pointer, "");
  std::optional<json::Json> populated;
  bool deleted = false;
  while (!populated && !deleted) {
    auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    kube::WatchOptions options;
    options.field_selector = "metadata.name=" + name;
    options.resource_version = rv;
    options.timeout_seconds = left.count();
    auto watched = client.Watch(SecretRef(ns), options, [&](const kube::WatchEvent& event) {
      rv = event.object.value("/metadata/resourceVersion"_json_pointer, rv);
      if (event.type == "BOOKMARK") return true;
      if (event.type == "DELETED") {
        deleted = true;
        return false;
      }
      if (kargo::HasTokenValue(event.object)) {
        populated = event.object;
        return false;
      }
      return true;
    }, cancel);
    if (!watched.ok()) {
      if (!kube::IsResourceExpired(watched.error())) return std::move(watched).error();
      // Our resourceVersion is too old: look at the Secret now, then watch from there.
      KT_ASSIGN_OR_RETURN(json::Json current, client.Get(SecretRef(ns, name)));
      if (kargo::HasTokenValue(current)) return current;
      rv = current.value("/metadata/resourceVersion"_json_pointer, "");
    }
  }
  if (populated) return *populated;
  if (deleted)
    return Error::NotFound("token Secret \"" + name + "\" in namespace \"" + ns +
                           "\" was deleted before the tokens controller populated it (its ServiceAccount "
                           "may have been deleted)");
  return Error::Timeout("timed out after " + Seconds(timeout) + " waiting for the tokens controller to populate "
                        "Secret \"" + name + "\" in namespace \"" + ns + "\"; it was left for inspection "
                        "(kubectl get secret -n " + ns + " " + name + "); raise --timeout or check that the "
                        "cluster's tokens controller runs");
}

Result<void> ListTokens(kube::Client& client, const std::string& ns, const std::string& role,
                        const std::function<Result<void>(json::Json)>& on_token) {
  kube::ListOptions options;
  options.label_selector = std::string(kargo::kLabelApiToken) + "=true";
  return client.ListPages(SecretRef(ns), options, [&](json::Json page) -> Result<void> {
    for (auto& secret : page["items"]) {
      if (!kargo::IsKargoApiToken(secret)) continue;
      if (!role.empty() && kargo::TokenRoleName(secret) != role) continue;
      KT_RETURN_IF_ERROR(on_token(std::move(secret)));
    }
    return Ok();
  });
}

Result<json::Json> GetToken(kube::Client& client, const std::string& ns, const std::string& name) {
  KT_ASSIGN_OR_RETURN(json::Json secret, client.Get(SecretRef(ns, name)));
  KT_RETURN_IF_ERROR(kargo::CheckIsToken(secret));
  return secret;
}

Result<void> DeleteToken(kube::Client& client, const std::string& ns, const std::string& name) {
  KT_ASSIGN_OR_RETURN(json::Json secret, client.Get(SecretRef(ns, name)));
  KT_RETURN_IF_ERROR(kargo::CheckDeletable(secret));
  kube::DeleteOptions options;
  options.propagation_policy = "Background";
  options.precondition_uid = secret.value("/metadata/uid"_json_pointer, "");
  KT_RETURN_IF_ERROR(client.Delete(SecretRef(ns, name), options));
  return Ok();
}

Result<SecretString> TokenValue(const json::Json& secret) {
  std::string b64 = secret.value("/data/token"_json_pointer, "");
  if (b64.empty()) return Error::Internal("token data is empty");
  KT_ASSIGN_OR_RETURN(std::string raw, kubeconfig::Base64Decode(b64));
  return SecretString(std::move(raw));
}

}  // namespace kargo_token::plugin::ops
