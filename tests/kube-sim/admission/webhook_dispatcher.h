// WebhookDispatcher: calls ValidatingWebhookConfigurations the way
// kube-apiserver does (apiserver pkg/admission/plugin/webhook/validating,
// design/apiserver-emulation.md §5): which webhooks match a request (rules,
// namespaceSelector, objectSelector, matchConditions), the HTTPS call
// (caBundle, `?timeout=Ns`, service references), verification of the reply,
// failurePolicy, dry-run rules and the denial text clients print.
//
// matchConditions are CEL upstream; kube-sim evaluates the simple forms our
// manifests use — `object.type == '…'`, `oldObject.x != '…'`, `x == null`,
// `x != null`, joined by && and || with parentheses — and treats any other
// expression as matching (documented in README.md).
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_ADMISSION_WEBHOOK_DISPATCHER_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_ADMISSION_WEBHOOK_DISPATCHER_H_

#include <map>
#include <string>
#include <vector>

#include "shared/base/result.h"
#include "tests/kube-sim/auth/rbac.h"
#include "tests/kube-sim/store.h"

namespace kargo_token::kube_sim {

struct AdmissionAttributes {
  std::string operation;  // CREATE, UPDATE, DELETE
  const ResourceType* rt = nullptr;
  std::string subresource;
  std::string name;
  std::string namespace_name;
  json::Json object;      // null for DELETE
  json::Json old_object;  // null for CREATE
  UserInfo user;
  bool dry_run = false;
  json::Json options;     // CreateOptions / UpdateOptions / DeleteOptions
};

struct AdmissionOutcome {
  std::vector<std::string> warnings;  // to send as `Warning: 299 - "<text>"`
  json::Json audit_annotations = json::Json::object();  // "<webhook>/<key>": value
};

class WebhookDispatcher {
 public:
  // service_endpoints maps "namespace/name" of a Service to "host:port", so a
  // clientConfig.service reference reaches a local server.
  WebhookDispatcher(const Store& store, std::map<std::string, std::string> service_endpoints);

  // Validate runs every matching validating webhook. An error is the Status
  // the API server answers instead of storing the object.
  Result<AdmissionOutcome> Validate(const AdmissionAttributes& attrs) const;

  // Matches reports whether `webhook` (one entry of a configuration's
  // webhooks list) is called for the request. `namespace_labels` are the
  // labels of the request's namespace (null for cluster-scoped requests).
  static bool Matches(const json::Json& webhook, const AdmissionAttributes& attrs,
                      const json::Json& namespace_labels);

  // EvaluateCondition evaluates one matchConditions expression.
  static bool EvaluateCondition(const std::string& expression, const AdmissionAttributes& attrs);

  // BuildReview returns the AdmissionReview v1 request body for a call.
  static json::Json BuildReview(const AdmissionAttributes& attrs, const std::string& uid);

 private:
  Result<void> Call(const json::Json& webhook, const AdmissionAttributes& attrs,
                    AdmissionOutcome* outcome) const;

  const Store& store_;
  std::map<std::string, std::string> service_endpoints_;
};

// LabelSelectorMatches evaluates a metav1.LabelSelector (matchLabels,
// matchExpressions In/NotIn/Exists/DoesNotExist) against labels; an empty or
// null selector matches everything.
bool LabelSelectorMatches(const json::Json& selector, const json::Json& labels);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_ADMISSION_WEBHOOK_DISPATCHER_H_
