// ApiHandlers: delete, deletecollection, finalizers and the namespace
// lifecycle (Terminating, then contents removed, then the namespace).
#include "tests/kube-sim/handlers_api.h"
#include "tests/kube-sim/selectors.h"
#include "tests/kube-sim/status.h"

namespace kargo_token::kube_sim {
namespace {

std::string MetaStr(const json::Json& obj, const char* key) {
  auto m = obj.find("metadata");
  if (m == obj.end() || !m->is_object()) return "";
  auto it = m->find(key);
  return it != m->end() && it->is_string() ? it->get<std::string>() : "";
}

bool HasFinalizers(const json::Json& obj) {
  auto m = obj.find("metadata");
  if (m == obj.end() || !m->is_object()) return false;
  auto f = m->find("finalizers");
  return f != m->end() && f->is_array() && !f->empty();
}

struct DeleteOptions {
  bool dry_run = false;
  std::string propagation;
  std::string uid, resource_version;  // preconditions
};

// ReviewOptions: the DeleteOptions object an admission review carries.
json::Json ReviewOptions(const DeleteOptions& o) {
  json::Json options = {{"kind", "DeleteOptions"}, {"apiVersion", "meta.k8s.io/v1"}};
  if (o.dry_run) options["dryRun"] = {"All"};
  if (!o.propagation.empty()) options["propagationPolicy"] = o.propagation;
  if (!o.uid.empty()) options["preconditions"]["uid"] = o.uid;
  if (!o.resource_version.empty()) options["preconditions"]["resourceVersion"] = o.resource_version;
  return options;
}

Result<DeleteOptions> ParseDeleteOptions(const ApiRequest& req) {
  json::Json body = json::Json::object();
  if (!req.body.empty() && req.content_type.find("protobuf") == std::string::npos) {
    auto parsed = json::ParseYaml(req.body);
    if (!parsed.ok()) return BadRequestError("couldn't get version/kind; json parse error: " + parsed.error().message());
    if (parsed->is_object()) body = *parsed;
  }
  std::vector<std::string> dry = req.Params("dryRun");
  if (body.contains("dryRun") && body["dryRun"].is_array())
    for (const auto& v : body["dryRun"]) dry.push_back(v.is_string() ? v.get<std::string>() : Dump(v));
  DeleteOptions opts;
  KT_ASSIGN_OR_RETURN(opts.dry_run, DryRun(dry, "DeleteOptions"));
  opts.propagation = req.Param("propagationPolicy");
  if (body.contains("propagationPolicy") && body["propagationPolicy"].is_string())
    opts.propagation = body["propagationPolicy"].get<std::string>();
  if (!opts.propagation.empty() && opts.propagation != "Foreground" &&
      opts.propagation != "Background" && opts.propagation != "Orphan")
    return InvalidError("meta.k8s.io", "DeleteOptions", "",
                        {FieldError::Make(FieldError::Type::kNotSupported, "propagationPolicy", opts.propagation,
                                          "supported values: \"Foreground\", \"Background\", \"Orphan\"")});
  const json::Json pre = body.value("preconditions", json::Json::object());
  if (pre.is_object()) {
    if (pre.contains("uid") && pre["uid"].is_string()) opts.uid = pre["uid"].get<std::string>();
    if (pre.contains("resourceVersion") && pre["resourceVersion"].is_string())
      opts.resource_version = pre["resourceVersion"].get<std::string>();
  }
  return opts;
}

Result<void> CheckPreconditions(const ResourceType& rt, const json::Json& live, const DeleteOptions& o) {
  std::string name = MetaStr(live, "name");
  if (!o.uid.empty() && o.uid != MetaStr(live, "uid"))
    return ConflictMessage(rt, name, "Precondition failed: UID in precondition: " + o.uid +
                                         ", UID in object meta: " + MetaStr(live, "uid"));
  if (!o.resource_version.empty() && o.resource_version != MetaStr(live, "resourceVersion"))
    return ConflictMessage(rt, name, "Precondition failed: ResourceVersion in precondition: " +
                                         o.resource_version + ", ResourceVersion in object meta: " +
                                         MetaStr(live, "resourceVersion"));
  return Ok();
}

// AddFinalizer for Orphan/Foreground propagation (the garbage collector removes it).
json::Json WithPropagationFinalizer(json::Json obj, const std::string& policy) {
  std::string f = policy == "Orphan" ? "orphan" : policy == "Foreground" ? "foregroundDeletion" : "";
  if (f.empty()) return obj;
  json::Json& fins = obj["metadata"]["finalizers"];
  if (!fins.is_array()) fins = json::Json::array();
  for (const auto& x : fins)
    if (x == f) return obj;
  fins.push_back(f);
  return obj;
}

}  // namespace

Result<ObjectPtr> ApiHandlers::DeleteObject(const ResourceType& rt, const json::Json& live,
                                            bool dry_run, bool* removed) {
  *removed = false;
  std::string ns = MetaStr(live, "namespace"), name = MetaStr(live, "name");
  uint64_t rv = ObjectRv(live);
  if (rt.kind == "Namespace") {
    if (!MetaStr(live, "deletionTimestamp").empty()) return std::make_shared<const json::Json>(live);
    json::Json obj = live;
    obj["metadata"]["deletionTimestamp"] = NowRfc3339();
    obj["status"] = {{"phase", "Terminating"}};
    return store_.Update(rt, std::move(obj), rv, dry_run);
  }
  if (HasFinalizers(live)) {
    if (!MetaStr(live, "deletionTimestamp").empty()) return std::make_shared<const json::Json>(live);
    json::Json obj = live;
    obj["metadata"]["deletionTimestamp"] = NowRfc3339();
    obj["metadata"]["deletionGracePeriodSeconds"] = 0;
    return store_.Update(rt, std::move(obj), rv, dry_run);
  }
  *removed = true;
  return store_.Delete(rt, ns, name, rv, dry_run);
}

Result<Reply> ApiHandlers::Delete(const ApiRequest& req) {
  const ResourceType& rt = *req.rt;
  KT_ASSIGN_OR_RETURN(DeleteOptions opts, ParseDeleteOptions(req));
  for (int attempt = 0;; ++attempt) {
    ObjectPtr live = store_.Get(rt, req.path.ns, req.path.name);
    if (!live) return NotFoundError(rt, req.path.name);
    KT_RETURN_IF_ERROR(CheckPreconditions(rt, *live, opts));
    Reply reply;
    KT_RETURN_IF_ERROR(Admit(req, "DELETE", nullptr, *live, opts.dry_run, ReviewOptions(opts), &reply.warnings));
    json::Json target = WithPropagationFinalizer(*live, opts.propagation);
    bool removed = false;
    Result<ObjectPtr> result = DeleteObject(rt, target, opts.dry_run, &removed);
    if (!result.ok() && result.error().IsConflict() && attempt < 5) continue;
    if (!result.ok()) return std::move(result).error();
    if (removed && rt.kind != "ServiceAccount")
      reply.body = SuccessStatus(rt, req.path.name, MetaStr(**result, "uid"));
    else
      reply.raw_body = Dump(**result);
    return reply;
  }
}

Result<Reply> ApiHandlers::DeleteCollection(const ApiRequest& req) {
  const ResourceType& rt = *req.rt;
  KT_ASSIGN_OR_RETURN(DeleteOptions opts, ParseDeleteOptions(req));
  KT_ASSIGN_OR_RETURN(LabelSelector labels, LabelSelector::Parse(req.Param("labelSelector")));
  KT_ASSIGN_OR_RETURN(FieldSelector fields, FieldSelector::Parse(req.Param("fieldSelector"), rt));
  ListOptions list;
  list.ns = req.path.ns;
  list.filter = [&](const json::Json& o) { return labels.Matches(o) && fields.Matches(o); };
  ListPage page = store_.List(rt, list);
  json::Json items = json::Json::array();
  Reply reply;
  for (const auto& obj : page.items) {
    ApiRequest item = req;
    item.path.name = MetaStr(*obj, "name");
    KT_RETURN_IF_ERROR(Admit(item, "DELETE", nullptr, *obj, opts.dry_run, ReviewOptions(opts), &reply.warnings));
    bool removed = false;
    Result<ObjectPtr> r = DeleteObject(rt, WithPropagationFinalizer(*obj, opts.propagation), opts.dry_run, &removed);
    if (r.ok()) items.push_back(**r);
    else if (!r.error().IsNotFound() && !r.error().IsConflict()) return std::move(r).error();
  }
  reply.body = {{"kind", rt.kind + "List"}, {"apiVersion", rt.ApiVersion()},
                {"metadata", {{"resourceVersion", std::to_string(store_.CurrentRv())}}},
                {"items", items}};
  return reply;
}

void ApiHandlers::FinalizeNamespaces() {
  const ResourceType* ns_type = FindResourceType("", "namespaces");
  ListOptions terminating;
  terminating.filter = [](const json::Json& o) { return !MetaStr(o, "deletionTimestamp").empty(); };
  for (const auto& ns : store_.List(*ns_type, terminating).items) {
    std::string name = MetaStr(*ns, "name");
    size_t remaining = 0;
    for (const auto& rt : AllResourceTypes()) {
      if (!rt.namespaced || rt.is_virtual) continue;
      ListOptions in_ns;
      in_ns.ns = name;
      for (const auto& obj : store_.List(rt, in_ns).items) {
        ++remaining;
        bool removed = false;
        (void)DeleteObject(rt, *obj, false, &removed);
      }
    }
    if (remaining == 0) (void)store_.Delete(*ns_type, "", name, 0, false);
  }
}

void ApiHandlers::Bootstrap() {
  auto create = [this](const char* plural, const std::string& ns, json::Json body, const char* agent) {
    ApiRequest req;
    req.method = "POST";
    req.verb = "create";
    req.rt = FindResourceType("", plural);
    req.path.version = "v1";
    req.path.resource = plural;
    req.path.ns = ns;
    req.content_type = "application/json";
    req.user_agent = agent;
    req.body = Dump(body);
    req.internal = true;
    (void)Handle(req);
  };
  for (const char* ns : {"default", "kube-system", "kube-public"}) {
    create("namespaces", "", {{"metadata", {{"name", ns}}}}, "kube-apiserver/v1");
    create("serviceaccounts", ns, {{"metadata", {{"name", "default"}}}}, "kube-controller-manager/v1");
  }
}

}  // namespace kargo_token::kube_sim
