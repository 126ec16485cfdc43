// ApiWriter: an ObjectWriter that writes through kube-sim's request pipeline
// (validation, managedFields, validating admission webhooks) as a controller's
// identity, as the real kube-controller-manager writes through the API server.
// So a webhook sees the tokens controller's UPDATE of data.token from
// system:serviceaccount:kube-system:tokens-controller and the garbage
// collector's DELETEs from ...:generic-garbage-collector.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_CONTROLLERS_API_WRITER_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_CONTROLLERS_API_WRITER_H_

#include <string>

#include "tests/kube-sim/controllers/object_writer.h"
#include "tests/kube-sim/handlers_api.h"

namespace kargo_token::kube_sim {

class ApiWriter : public ObjectWriter {
 public:
  // `handlers` must outlive the writer.
  ApiWriter(ApiHandlers& handlers, UserInfo user);

  // The identities kube-controller-manager's controllers use
  // (--use-service-account-credentials): system:serviceaccount:kube-system:NAME
  // with groups system:serviceaccounts, system:serviceaccounts:kube-system,
  // system:authenticated.
  static UserInfo ControllerUser(const std::string& name);
  static ApiWriter ForTokensController(ApiHandlers& h) { return ApiWriter(h, ControllerUser("tokens-controller")); }
  static ApiWriter ForGarbageCollector(ApiHandlers& h) {
    return ApiWriter(h, ControllerUser("generic-garbage-collector"));
  }

  // Update is a PUT with resourceVersion expected_rv (0 = unconditional).
  // A failure Status becomes Conflict (409), NotFound (404) or Unavailable.
  Result<void> Update(const ResourceType& rt, json::Json obj, uint64_t expected_rv) override;
  // Delete is a DELETE with a uid precondition (when uid is not empty).
  Result<void> Delete(const ResourceType& rt, const std::string& ns, const std::string& name,
                      const std::string& uid) override;

 private:
  ApiRequest Request(const ResourceType& rt, const std::string& method, const std::string& verb,
                     const std::string& ns, const std::string& name) const;
  Result<void> Run(const ApiRequest& req);

  ApiHandlers& handlers_;
  UserInfo user_;
};

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_CONTROLLERS_API_WRITER_H_
