// ApiHandlers: construction, the entry point with fault injection, and the
// validating admission step of the write pipeline.
#include <algorithm>
#include <cstdio>
#include <thread>

#include "tests/kube-sim/handlers_api.h"
#include "tests/kube-sim/handlers_watch.h"
#include "tests/kube-sim/status.h"

namespace kargo_token::kube_sim {
namespace {

std::string ObjectMetaString(const json::Json& obj, const char* key) {
  if (!obj.is_object()) return "";
  auto m = obj.find("metadata");
  if (m == obj.end() || !m->is_object()) return "";
  auto it = m->find(key);
  return it != m->end() && it->is_string() ? it->get<std::string>() : "";
}

// The Status upstream answers with for each injected code.
Error InjectedStatus(int code) {
  if (code == 500) return InternalError("injected fault (kube-sim --fault)");
  if (code == 503)
    return StatusError(503, "ServiceUnavailable", "the server is currently unable to handle the request");
  if (code == 504)
    return StatusError(504, "Timeout",
                       "the server was unable to return a response in the time allotted, but may still "
                       "be processing the request");
  return StatusError(code, "", "injected fault (kube-sim --fault)");
}

Reply ErrorReply(const Error& e) {
  Reply reply;
  reply.status = StatusCode(e);
  reply.body = StatusJson(e);
  return reply;
}

}  // namespace

ApiHandlers::ApiHandlers(Store& store, HandlerOptions options)
    : store_(store),
      options_(std::move(options)),
      dispatcher_(store_, options_.service_endpoints),
      faults_(std::make_unique<FaultInjector>(options_.faults, options_.fault_seed, options_.fault_file)) {}

Reply ApiHandlers::Handle(const ApiRequest& req, const std::function<Reply()>& answer) {
  FaultDecision fault;
  const std::string& resource = req.rt ? req.rt->plural : req.path.resource;
  if (!req.internal && !resource.empty() && !faults_->empty()) {
    std::string rv = req.Param("resourceVersion");
    fault = faults_->Decide(req.verb, resource, req.verb == "watch" && !rv.empty() && rv != "0");
    // One line per hit, so a test can tell an injected fault from a retry.
    if (fault.any()) std::fprintf(stderr, "kube-sim: fault %s on %s %s\n", Describe(fault).c_str(),
                                  req.verb.c_str(), resource.c_str());
  }
  if (fault.latency.count() > 0) std::this_thread::sleep_for(fault.latency);
  if (std::optional<Reply> forced = FaultReply(req, fault)) return std::move(*forced);
  Reply reply;
  if (answer) {
    reply = answer();
  } else {
    Result<Reply> r = Dispatch(req, fault.watch_drop);
    reply = r.ok() ? std::move(r).value() : ErrorReply(r.error());
  }
  if (fault.reset_after) reply.abort_connection = true;
  return reply;
}

std::optional<Reply> ApiHandlers::FaultReply(const ApiRequest& req, const FaultDecision& fault) const {
  if (fault.reset) {
    Reply reply;
    reply.abort_connection = true;
    return reply;
  }
  if (fault.status != 0) return ErrorReply(InjectedStatus(fault.status));
  if (fault.watch_gone) {
    Reply reply;
    Error gone = ExpiredError("too old resource version: " + req.Param("resourceVersion") + " (" +
                              std::to_string(store_.CurrentRv()) + ")");
    reply.watch = ErrorWatch(StatusJson(gone));
    return reply;
  }
  return std::nullopt;
}

json::Json OptionsObject(const ApiRequest& req, const std::string& kind, bool dry_run) {
  json::Json options = {{"kind", kind}, {"apiVersion", "meta.k8s.io/v1"}};
  if (dry_run) options["dryRun"] = {"All"};
  if (!req.Param("fieldManager").empty()) options["fieldManager"] = req.Param("fieldManager");
  if (!req.Param("fieldValidation").empty()) options["fieldValidation"] = req.Param("fieldValidation");
  return options;
}

Result<void> ApiHandlers::Admit(const ApiRequest& req, const std::string& operation,
                                const json::Json& object, const json::Json& old_object, bool dry_run,
                                json::Json options, std::vector<std::string>* warnings) const {
  AdmissionAttributes attrs;
  attrs.operation = operation;
  attrs.rt = req.rt;
  attrs.subresource = req.path.subresource;
  const json::Json& named = object.is_null() ? old_object : object;
  attrs.name = ObjectMetaString(named, "name");
  if (attrs.name.empty()) attrs.name = req.path.name;
  attrs.namespace_name = req.rt->namespaced ? req.path.ns : "";
  attrs.object = object;
  attrs.old_object = old_object;
  attrs.user = req.identity;
  attrs.dry_run = dry_run;
  attrs.options = std::move(options);
  KT_ASSIGN_OR_RETURN(AdmissionOutcome outcome, dispatcher_.Validate(attrs));
  // Identical warnings are sent once (apiserver filters/warning.go), also
  // when a conflict retry admits the request again.
  for (const auto& w : outcome.warnings)
    if (warnings && std::find(warnings->begin(), warnings->end(), w) == warnings->end()) warnings->push_back(w);
  return Ok();
}

}  // namespace kargo_token::kube_sim
