#include "tests/kube-sim/controllers/api_writer.h"


namespace kargo_token::kube_sim {

ApiWriter::ApiWriter(ApiHandlers& handlers, UserInfo user) : handlers_(handlers), user_(std::move(user)) {}

UserInfo ApiWriter::ControllerUser(const std::string& name) {
  return {"system:serviceaccount:kube-system:" + name,
          "",
          {"system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"},
          {}};
}

ApiRequest ApiWriter::Request(const ResourceType& rt, const std::string& method, const std::string& verb,
                              const std::string& ns, const std::string& name) const {
  ApiRequest req;
  req.method = method;
  req.verb = verb;
  req.rt = &rt;
  req.path = {rt.group, rt.version, rt.namespaced ? ns : "", rt.plural, name, ""};
  req.content_type = "application/json";
  req.user_agent = "kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/kube-sim/" +
                   user_.name.substr(user_.name.rfind(':') + 1);
  req.identity = user_;
  req.internal = true;
  return req;
}

Result<void> ApiWriter::Run(const ApiRequest& req) {
  Reply reply = handlers_.Handle(req);
  if (reply.status < 300) return Ok();
  std::string message = reply.body.is_object() ? reply.body.value("message", "") : "";
  if (reply.status == 409) return Error::Conflict(message);
  if (reply.status == 404) return Error::NotFound(message);
  return Error::Unavailable(message.empty() ? "status " + std::to_string(reply.status) : message);
}

Result<void> ApiWriter::Update(const ResourceType& rt, json::Json obj, uint64_t expected_rv) {
  ApiRequest req = Request(rt, "PUT", "update", ObjectNamespace(obj), ObjectName(obj));
  if (expected_rv != 0) obj["metadata"]["resourceVersion"] = std::to_string(expected_rv);
  else obj["metadata"].erase("resourceVersion");
  req.body = Dump(obj);
  return Run(req);
}

Result<void> ApiWriter::Delete(const ResourceType& rt, const std::string& ns, const std::string& name,
                               const std::string& uid) {
  ApiRequest req = Request(rt, "DELETE", "delete", ns, name);
  json::Json options = {{"kind", "DeleteOptions"}, {"apiVersion", "meta.k8s.io/v1"}};
  if (!uid.empty()) options["preconditions"] = {{"uid", uid}};
  req.body = Dump(options);
  return Run(req);
}

}  // namespace kargo_token::kube_sim
