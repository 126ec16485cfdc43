#include "tests/kube-sim/controllers/tokens_controller.h"
#include "tests/kube-sim/validation.h"

#include <vector>

namespace kargo_token::kube_sim {
namespace {

constexpr char kTokenType[] = "kubernetes.io/service-account-token";
constexpr char kNameAnnotation[] = "kubernetes.io/service-account.name";
constexpr char kUidAnnotation[] = "kubernetes.io/service-account.uid";

const ResourceType& Secrets() { return *FindResourceType("", "secrets"); }
const ResourceType& ServiceAccounts() { return *FindResourceType("", "serviceaccounts"); }

bool IsTokenSecret(const json::Json& obj) { return obj.value("type", "") == kTokenType; }

std::string Annotation(const json::Json& obj, const char* key) {
  const json::Json& meta = obj.value("metadata", json::Json::object());
  if (!meta.contains("annotations") || !meta["annotations"].is_object()) return "";
  return meta["annotations"].value(key, "");
}

bool HasData(const json::Json& secret, const char* key) {
  return secret.contains("data") && secret["data"].is_object() && secret["data"].contains(key) &&
         secret["data"][key].is_string() && !secret["data"][key].get<std::string>().empty();
}

}  // namespace

TokensController::TokensController(Store& store, ObjectWriter& writer, const TokenSigner& signer,
                                   TokensControllerOptions options)
    : EventLoop(store, std::chrono::milliseconds(50)),
      writer_(writer),
      signer_(signer),
      options_(std::move(options)) {}

TokensController::~TokensController() { Stop(); }

json::Json TokensController::LegacyClaims(const std::string& ns, const std::string& sa_name,
                                          const std::string& sa_uid, const std::string& secret_name) {
  return {{"iss", "kubernetes/serviceaccount"},
          {"kubernetes.io/serviceaccount/namespace", ns},
          {"kubernetes.io/serviceaccount/secret.name", secret_name},
          {"kubernetes.io/serviceaccount/service-account.name", sa_name},
          {"kubernetes.io/serviceaccount/service-account.uid", sa_uid},
          {"sub", "system:serviceaccount:" + ns + ":" + sa_name}};
}

void TokensController::Enqueue(const std::string& ns, const std::string& name) {
  EnqueueAfter(ns, name, options_.delay);
}

void TokensController::EnqueueAfter(const std::string& ns, const std::string& name,
                                    std::chrono::milliseconds delay) {
  std::lock_guard lock(mu_);
  due_.emplace(ObjectKey{ns, name}, std::chrono::steady_clock::now() + delay);
}

void TokensController::Resync() {
  ListOptions all;
  all.filter = IsTokenSecret;
  for (const auto& s : store_.List(Secrets(), all).items) Enqueue(ObjectNamespace(*s), ObjectName(*s));
}

void TokensController::OnEvent(const WatchEvent& event) {
  if (event.rt == &Secrets() && event.type != "DELETED" && IsTokenSecret(*event.object)) {
    Enqueue(ObjectNamespace(*event.object), ObjectName(*event.object));
  } else if (event.rt == &ServiceAccounts() && event.type == "DELETED") {
    if (!paused_) DeleteTokensOf(*event.object);
  }
}

void TokensController::Tick() {
  if (paused_) return;
  std::vector<ObjectKey> ready;
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    for (auto it = due_.begin(); it != due_.end();) {
      if (it->second <= now) {
        ready.push_back(it->first);
        it = due_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (const auto& [ns, name] : ready)
    if (!SyncSecret(ns, name)) Enqueue(ns, name);
}

bool TokensController::SyncSecret(const std::string& ns, const std::string& name) {
  ObjectPtr current = store_.Get(Secrets(), ns, name);
  if (!current || !IsTokenSecret(*current) || (*current)["metadata"].contains("deletionTimestamp"))
    return true;
  const json::Json& secret = *current;
  std::string sa_name = Annotation(secret, kNameAnnotation);
  std::string want_uid = Annotation(secret, kUidAnnotation);
  ObjectPtr sa = store_.Get(ServiceAccounts(), ns, sa_name);
  std::string sa_uid = sa ? (*sa)["metadata"].value("uid", "") : "";
  if (!sa || (!want_uid.empty() && want_uid != sa_uid)) {
    auto deleted = writer_.Delete(Secrets(), ns, name, secret["metadata"].value("uid", ""));
    return deleted.ok() || deleted.error().IsNotFound();
  }
  json::Json updated = secret;
  if (!updated.contains("data") || !updated["data"].is_object()) updated["data"] = json::Json::object();
  if (!HasData(secret, "token")) {
    auto token = signer_.Sign(LegacyClaims(ns, sa_name, sa_uid, name));
    if (!token.ok()) return true;
    updated["data"]["token"] = Base64Encode(*token);
  }
  if (!HasData(secret, "ca.crt") && !options_.ca_pem.empty())
    updated["data"]["ca.crt"] = Base64Encode(options_.ca_pem);
  if (!HasData(secret, "namespace")) updated["data"]["namespace"] = Base64Encode(ns);
  updated["metadata"]["annotations"][kUidAnnotation] = sa_uid;
  if (updated == secret) return true;
  auto written = writer_.Update(Secrets(), std::move(updated), ObjectRv(secret));
  if (written.ok() || written.error().IsNotFound()) return true;
  if (written.error().IsConflict()) return false;
  // Refused (an admission webhook, validation): retry later, as the real
  // controller's rate-limited queue does, without hammering the webhook.
  EnqueueAfter(ns, name, kRetryDelay);
  return true;
}

void TokensController::DeleteTokensOf(const json::Json& service_account) {
  std::string ns = ObjectNamespace(service_account);
  std::string sa_name = ObjectName(service_account);
  std::string sa_uid = service_account["metadata"].value("uid", "");
  ListOptions in_ns;
  in_ns.ns = ns;
  in_ns.filter = [&](const json::Json& s) {
    std::string uid = Annotation(s, kUidAnnotation);
    return IsTokenSecret(s) && Annotation(s, kNameAnnotation) == sa_name && (uid.empty() || uid == sa_uid);
  };
  for (const auto& s : store_.List(Secrets(), in_ns).items)
    (void)writer_.Delete(Secrets(), ns, ObjectName(*s), (*s)["metadata"].value("uid", ""));
}

}  // namespace kargo_token::kube_sim
