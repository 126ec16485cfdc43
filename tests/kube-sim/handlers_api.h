// ApiHandlers: the resource verbs of kube-sim (get, list, watch, create,
// update, patch, delete, deletecollection) over the Store, with upstream's
// request pipeline order: decode → defaulting → field validation → namespace
// lifecycle → validation → managedFields → validating admission webhooks →
// storage (DELETE: read → preconditions → admission with the old object →
// removal). The definitions are split by verb family: handlers_read.cc,
// handlers_write.cc, handlers_delete.cc; admission and fault injection are in
// handlers_admission.cc.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_HANDLERS_API_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_HANDLERS_API_H_

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shared/base/result.h"
#include "tests/kube-sim/admission/webhook_dispatcher.h"
#include "tests/kube-sim/faults.h"
#include "tests/kube-sim/handlers_request.h"
#include "tests/kube-sim/store.h"

namespace kargo_token::kube_sim {

// Upstream's request body limit (apiserver MaxRequestBodyBytes, 3 MiB).
inline constexpr size_t kMaxRequestBodyBytes = 3 * 1024 * 1024;

struct HandlerOptions {
  // Idle interval between BOOKMARK events of watches that allow them.
  std::chrono::milliseconds bookmark_interval{std::chrono::seconds(10)};
  // Watch duration when the client sends no timeoutSeconds (upstream: 30-60 min).
  std::chrono::seconds default_watch_timeout{std::chrono::minutes(30)};
  // "namespace/name" of a webhook Service → "host:port" (--service-endpoint).
  std::map<std::string, std::string> service_endpoints;
  // Fault injection rules (--fault) and the RNG seed for fractions
  // (--fault-seed; 0 = random).
  std::vector<FaultRule> faults;
  uint64_t fault_seed = 0;
  std::string fault_file;  // --fault-file: rules re-read when the file changes
  // The tokens controller starts paused (--token-controller-paused); the
  // server applies it with TokensController::SetPaused.
  bool token_controller_paused = false;
};

class ApiHandlers {
 public:
  explicit ApiHandlers(Store& store, HandlerOptions options = {});

  // Handle answers one resource request. Every failure is a Status reply.
  // Fault injection applies unless req.internal. Thread-safe. `answer`, when
  // set, answers instead of the resource pipeline (the access reviews), still
  // behind fault injection.
  Reply Handle(const ApiRequest& req, const std::function<Reply()>& answer = nullptr);

  // Bootstrap creates namespaces default, kube-system and kube-public, each
  // with a `default` ServiceAccount. Idempotent.
  void Bootstrap();

  // FinalizeNamespaces is one pass of the namespace controller: the contents
  // of every terminating namespace are deleted and, once empty, the namespace.
  void FinalizeNamespaces();

 private:
  Result<Reply> Dispatch(const ApiRequest& req, std::optional<std::chrono::milliseconds> watch_drop);
  // handlers_read.cc
  Result<Reply> Get(const ApiRequest& req);
  Result<Reply> List(const ApiRequest& req);
  // `drop` (fault injection) ends the stream early.
  Result<Reply> Watch(const ApiRequest& req, std::optional<std::chrono::milliseconds> drop);
  // handlers_write.cc
  Result<Reply> Create(const ApiRequest& req);
  Result<Reply> Update(const ApiRequest& req);
  Result<Reply> Patch(const ApiRequest& req);
  // Decodes and prunes the body; strict/warn field validation.
  Result<json::Json> DecodeObject(const ApiRequest& req, std::vector<std::string>* warnings) const;
  // The create pipeline after decoding; `obj` is the full new object.
  // Admission webhooks' warnings are appended to `warnings`.
  Result<ObjectPtr> CreateObject(const ApiRequest& req, json::Json obj, bool dry_run,
                                 std::vector<std::string>* warnings, bool record_update = true);
  // The update pipeline: `obj` replaces `old` if old's RV is still current.
  Result<ObjectPtr> UpdateObject(const ApiRequest& req, const json::Json& old, json::Json obj,
                                 uint64_t expected_rv, bool dry_run,
                                 std::vector<std::string>* warnings, bool record_update = true);
  Result<json::Json> ApplyPatch(const ApiRequest& req, const json::Json& live) const;
  // handlers_delete.cc
  Result<Reply> Delete(const ApiRequest& req);
  Result<Reply> DeleteCollection(const ApiRequest& req);
  // Deletes (or marks with deletionTimestamp when finalizers remain).
  Result<ObjectPtr> DeleteObject(const ResourceType& rt, const json::Json& live, bool dry_run,
                                 bool* removed);
  // handlers_admission.cc
  // Admit runs the validating admission webhooks for a CREATE, UPDATE or
  // DELETE of `req` (object/old_object null where upstream sends null) as
  // req.identity; an error is the Status to answer. `options` is the
  // Create/Update/DeleteOptions object sent in the review.
  Result<void> Admit(const ApiRequest& req, const std::string& operation, const json::Json& object,
                     const json::Json& old_object, bool dry_run, json::Json options,
                     std::vector<std::string>* warnings) const;
  // FaultReply: the reply a fault decision forces before the request runs
  // (reset, status, watch-gone), if any.
  std::optional<Reply> FaultReply(const ApiRequest& req, const FaultDecision& fault) const;
  // Namespace lifecycle admission for writes into `ns`.
  Result<void> CheckNamespace(const ResourceType& rt, const std::string& ns,
                              const std::string& name) const;

  Store& store_;
  HandlerOptions options_;
  WebhookDispatcher dispatcher_;
  std::unique_ptr<FaultInjector> faults_;
};

// Helpers shared by the handler files (handlers_util.cc).
std::string NowRfc3339();
std::string NewUid();
// 5 characters of apimachinery's rand.String alphabet.
std::string RandomSuffix();
// The field manager: ?fieldManager or the User-Agent's first segment.
std::string FieldManager(const ApiRequest& req);
// OptionsObject: the meta.k8s.io/v1 Create/UpdateOptions of an admission
// review for `req` (fieldManager, fieldValidation, dryRun from the query).
json::Json OptionsObject(const ApiRequest& req, const std::string& kind, bool dry_run);
// Validates ?dryRun (only "All"); true when dry-run. `options_kind` is
// CreateOptions/UpdateOptions/PatchOptions/DeleteOptions for the error.
Result<bool> DryRun(const std::vector<std::string>& values, const std::string& options_kind);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_HANDLERS_API_H_
