// ApiHandlers: the write verbs (create, update, patch incl. server-side apply).
#include <cctype>

#include "tests/kube-sim/handlers_api.h"
#include "tests/kube-sim/patch/json_patch.h"
#include "tests/kube-sim/patch/managed_fields.h"
#include "tests/kube-sim/patch/merge_patch.h"
#include "tests/kube-sim/patch/strategic_merge.h"
#include "tests/kube-sim/protobuf/decode.h"
#include "tests/kube-sim/status.h"
#include "tests/kube-sim/validation.h"

namespace kargo_token::kube_sim {
namespace {

// MediaType: the lower-cased type/subtype without parameters.
std::string MediaType(const std::string& content_type) {
  std::string t = content_type.substr(0, content_type.find(';'));
  std::string out;
  for (char c : t)
    if (!std::isspace(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<json::Json> ParseBody(const std::string& media, const std::string& body) {
  if (media == "application/vnd.kubernetes.protobuf") return DecodeProtobufObject(body);
  Result<json::Json> parsed = media == "application/yaml" || media == "application/apply-patch+yaml"
                                  ? json::ParseYaml(body)
                                  : json::ParseJson(body);
  if (!parsed.ok()) {
    std::string what = media.find("yaml") != std::string::npos ? "yaml" : "json";
    return BadRequestError("couldn't get version/kind; " + what + " parse error: " +
                           parsed.error().message());
  }
  return parsed;
}

json::Json& Meta(json::Json& obj) {
  if (!obj["metadata"].is_object()) obj["metadata"] = json::Json::object();
  return obj["metadata"];
}

std::string MetaStr(const json::Json& obj, const char* key) {
  auto m = obj.find("metadata");
  if (m == obj.end() || !m->is_object()) return "";
  auto it = m->find(key);
  return it != m->end() && it->is_string() ? it->get<std::string>() : "";
}

// Withoutmanaged: equality of objects ignoring managedFields (no-op writes).
bool SameIgnoringManagedFields(json::Json a, json::Json b) {
  if (a.contains("metadata") && a["metadata"].is_object()) a["metadata"].erase("managedFields");
  if (b.contains("metadata") && b["metadata"].is_object()) b["metadata"].erase("managedFields");
  return a == b;
}

bool IsRbac(const ResourceType& rt) { return rt.group == "rbac.authorization.k8s.io"; }

Error CannotHandle(const ResourceType& rt, const std::string& what) {
  return BadRequestError(rt.kind + " in version \"" + rt.version + "\" cannot be handled as a " +
                         rt.kind + ": " + what);
}

Result<void> CheckTypeMeta(const ResourceType& rt, json::Json& obj) {
  if (!obj.is_object()) return CannotHandle(rt, "the body is not a JSON object");
  std::string api_version = obj.value("apiVersion", json::Json("")).is_string() ? obj.value("apiVersion", "") : "";
  std::string kind = obj.value("kind", json::Json("")).is_string() ? obj.value("kind", "") : "";
  if (!api_version.empty() && api_version != rt.ApiVersion())
    return BadRequestError("the API version in the data (" + api_version +
                           ") does not match the expected API version (" + rt.ApiVersion() + ")");
  if (!kind.empty() && kind != rt.kind)
    return BadRequestError("the kind in the data (" + kind + ") does not match the expected kind (" +
                           rt.kind + ")");
  obj["apiVersion"] = rt.ApiVersion();
  obj["kind"] = rt.kind;
  return Ok();
}

// FieldValidation prunes unknown fields; Strict fails, Warn/default warns.
Result<void> FieldValidation(const ApiRequest& req, json::Json& obj, std::vector<std::string>* warnings) {
  std::string mode = req.Param("fieldValidation");
  if (!mode.empty() && mode != "Strict" && mode != "Warn" && mode != "Ignore")
    return BadRequestError("fieldValidation: Unsupported value: \"" + mode +
                           "\": supported values: \"Ignore\", \"Warn\", \"Strict\"");
  std::vector<std::string> unknown = PruneUnknownFields(*req.rt, obj);
  if (unknown.empty() || mode == "Ignore") return Ok();
  if (mode == "Strict") {
    std::string what = "strict decoding error: ";
    for (size_t i = 0; i < unknown.size(); ++i)
      what += (i ? ", " : "") + std::string("unknown field \"") + unknown[i] + "\"";
    return CannotHandle(*req.rt, what);
  }
  for (const auto& f : unknown) warnings->push_back("unknown field \"" + f + "\"");
  return Ok();
}

}  // namespace

Result<json::Json> ApiHandlers::DecodeObject(const ApiRequest& req,
                                             std::vector<std::string>* warnings) const {
  std::string media = MediaType(req.content_type);
  if (media.empty()) media = "application/json";
  if (media != "application/json" && media != "application/yaml" &&
      media != "application/vnd.kubernetes.protobuf")
    return StatusError(415, "UnsupportedMediaType",
                       "the body of the request was in an unknown format - accepted media types "
                       "include: application/json, application/yaml, "
                       "application/vnd.kubernetes.protobuf");
  KT_ASSIGN_OR_RETURN(json::Json obj, ParseBody(media, req.body));
  KT_RETURN_IF_ERROR(CheckTypeMeta(*req.rt, obj));
  KT_RETURN_IF_ERROR(FieldValidation(req, obj, warnings));
  KT_RETURN_IF_ERROR(Normalize(*req.rt, obj));
  return obj;
}

Result<void> ApiHandlers::CheckNamespace(const ResourceType& rt, const std::string& ns,
                                         const std::string& name) const {
  const ResourceType* ns_type = FindResourceType("", "namespaces");
  ObjectPtr ns_obj = store_.Get(*ns_type, "", ns);
  if (!ns_obj) return NotFoundError(*ns_type, ns);
  bool terminating = !MetaStr(*ns_obj, "deletionTimestamp").empty() ||
                     ns_obj->value("/status/phase"_json_pointer, std::string()) == "Terminating";
  if (terminating)
    return ForbiddenError(rt, name,
                          "unable to create new content in namespace " + ns +
                              " because it is being terminated");
  return Ok();
}

Result<ObjectPtr> ApiHandlers::CreateObject(const ApiRequest& req, json::Json obj, bool dry_run,
                                            std::vector<std::string>* warnings, bool record_update) {
  const ResourceType& rt = *req.rt;
  json::Json& meta = Meta(obj);
  if (rt.namespaced) {
    std::string ns = MetaStr(obj, "namespace");
    if (ns.empty()) meta["namespace"] = req.path.ns;
    if (!ns.empty() && ns != req.path.ns)
      return BadRequestError("the namespace of the provided object does not match the namespace sent on the request");
  } else {
    meta.erase("namespace");
  }
  std::string generate = MetaStr(obj, "generateName");
  if (MetaStr(obj, "name").empty() && !generate.empty())
    meta["name"] = generate.substr(0, 58) + RandomSuffix();
  std::string name = MetaStr(obj, "name");
  if (rt.kind == "Namespace" && !name.empty()) meta["labels"]["kubernetes.io/metadata.name"] = name;
  if (rt.namespaced) KT_RETURN_IF_ERROR(CheckNamespace(rt, req.path.ns, name));
  std::string now = NowRfc3339();
  meta["uid"] = NewUid();
  meta["creationTimestamp"] = now;
  for (const char* f : {"resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "generation"})
    meta.erase(f);
  if (rt.kind == "ValidatingWebhookConfiguration") meta["generation"] = 1;
  std::vector<FieldError> errs = ValidateObject(rt, obj);
  if (!errs.empty()) return InvalidError(rt.group, rt.kind, name, errs);
  if (record_update) {
    meta.erase("managedFields");
    obj = RecordUpdate(nullptr, obj, FieldManager(req), rt.ApiVersion(), now);
  }
  KT_RETURN_IF_ERROR(Admit(req, "CREATE", obj, nullptr, dry_run, OptionsObject(req, "CreateOptions", dry_run),
                           warnings));
  return store_.Create(rt, std::move(obj), dry_run);
}

Result<ObjectPtr> ApiHandlers::UpdateObject(const ApiRequest& req, const json::Json& old,
                                            json::Json obj, uint64_t expected_rv, bool dry_run,
                                            std::vector<std::string>* warnings, bool record_update) {
  const ResourceType& rt = *req.rt;
  json::Json& meta = Meta(obj);
  std::string name = MetaStr(obj, "name");
  if (name.empty()) meta["name"] = name = req.path.name;
  if (name != req.path.name)
    return BadRequestError("the name of the object (" + name +
                           ") does not match the name on the URL (" + req.path.name + ")");
  if (rt.namespaced) {
    std::string ns = MetaStr(obj, "namespace");
    if (ns.empty()) meta["namespace"] = req.path.ns;
    if (!ns.empty() && ns != req.path.ns)
      return BadRequestError("the namespace of the provided object does not match the namespace sent on the request");
  } else {
    meta.erase("namespace");
  }
  std::string uid = MetaStr(obj, "uid");
  if (!uid.empty() && uid != MetaStr(old, "uid"))
    return ConflictMessage(rt, name, "Precondition failed: UID in precondition: " + uid +
                                         ", UID in object meta: " + MetaStr(old, "uid"));
  const json::Json& old_meta = old["metadata"];
  for (const char* f : {"uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"}) {
    if (old_meta.contains(f)) meta[f] = old_meta[f];
    else meta.erase(f);
  }
  meta.erase("selfLink");
  if (rt.kind == "Namespace") {
    meta["labels"]["kubernetes.io/metadata.name"] = name;
    obj["status"] = old.value("status", json::Json::object());
    obj["spec"] = old.value("spec", json::Json::object());
  }
  if (rt.kind == "ValidatingWebhookConfiguration" && obj.value("webhooks", json::Json()) != old.value("webhooks", json::Json()))
    meta["generation"] = old_meta.value("generation", 1) + 1;
  std::vector<FieldError> errs = ValidateUpdate(rt, obj, old);
  if (!errs.empty()) return InvalidError(rt.group, rt.kind, name, errs);
  if (record_update && !SameIgnoringManagedFields(old, obj)) {
    meta["managedFields"] = old_meta.value("managedFields", json::Json::array());
    obj = RecordUpdate(old, obj, FieldManager(req), rt.ApiVersion(), NowRfc3339());
  } else if (record_update) {
    obj["metadata"]["managedFields"] = old_meta.value("managedFields", json::Json::array());
    if (obj["metadata"]["managedFields"].empty()) obj["metadata"].erase("managedFields");
  }
  KT_RETURN_IF_ERROR(Admit(req, "UPDATE", obj, old, dry_run, OptionsObject(req, "UpdateOptions", dry_run),
                           warnings));
  const json::Json& fin = obj["metadata"].value("finalizers", json::Json::array());
  if (!MetaStr(obj, "deletionTimestamp").empty() && (!fin.is_array() || fin.empty()))
    return store_.Delete(rt, req.path.ns, name, expected_rv, dry_run);
  return store_.Update(rt, std::move(obj), expected_rv, dry_run);
}

Result<Reply> ApiHandlers::Create(const ApiRequest& req) {
  KT_ASSIGN_OR_RETURN(bool dry_run, DryRun(req.Params("dryRun"), "CreateOptions"));
  Reply reply;
  KT_ASSIGN_OR_RETURN(json::Json obj, DecodeObject(req, &reply.warnings));
  KT_ASSIGN_OR_RETURN(ObjectPtr created, CreateObject(req, std::move(obj), dry_run, &reply.warnings));
  reply.status = 201;
  reply.raw_body = Dump(*created);
  return reply;
}

Result<Reply> ApiHandlers::Update(const ApiRequest& req) {
  KT_ASSIGN_OR_RETURN(bool dry_run, DryRun(req.Params("dryRun"), "UpdateOptions"));
  Reply reply;
  KT_ASSIGN_OR_RETURN(json::Json obj, DecodeObject(req, &reply.warnings));
  ObjectPtr live = store_.Get(*req.rt, req.path.ns, req.path.name);
  if (!live && IsRbac(*req.rt)) {  // RBAC strategies allow create-on-update
    if (MetaStr(obj, "name").empty()) Meta(obj)["name"] = req.path.name;
    KT_ASSIGN_OR_RETURN(ObjectPtr created, CreateObject(req, std::move(obj), dry_run, &reply.warnings));
    reply.status = 201;
    reply.raw_body = Dump(*created);
    return reply;
  }
  if (!live) return NotFoundError(*req.rt, req.path.name);
  uint64_t expected = ObjectRv(obj);
  if (expected == 0 && !MetaStr(obj, "resourceVersion").empty())
    return BadRequestError("metadata.resourceVersion: Invalid value: \"" + MetaStr(obj, "resourceVersion") + "\": must be a number");
  KT_ASSIGN_OR_RETURN(ObjectPtr updated, UpdateObject(req, *live, std::move(obj), expected, dry_run, &reply.warnings));
  reply.raw_body = Dump(*updated);
  return reply;
}

Result<json::Json> ApiHandlers::ApplyPatch(const ApiRequest& req, const json::Json& live) const {
  std::string media = MediaType(req.content_type);
  if (media != "application/json-patch+json" && media != "application/merge-patch+json" &&
      media != "application/strategic-merge-patch+json")
    return UnsupportedMediaTypeError(req.content_type);
  KT_ASSIGN_OR_RETURN(json::Json patch, ParseBody("application/json", req.body));
  if (media == "application/json-patch+json") return ApplyJsonPatch(live, patch);
  if (media == "application/merge-patch+json") return ApplyMergePatch(live, patch);
  return ApplyStrategicMergePatch(live, patch, req.rt->kind);
}

Result<Reply> ApiHandlers::Patch(const ApiRequest& req) {
  const ResourceType& rt = *req.rt;
  KT_ASSIGN_OR_RETURN(bool dry_run, DryRun(req.Params("dryRun"), "PatchOptions"));
  bool apply = MediaType(req.content_type) == "application/apply-patch+yaml";
  auto force = ParseBool(req.Param("force"));
  if (req.HasParam("force") && !apply)
    return InvalidError("meta.k8s.io", "PatchOptions", "",
                        {FieldError::Make(FieldError::Type::kForbidden, "force", nullptr, "may not be specified for non-apply patch")});
  if (apply && req.Param("fieldManager").empty())
    return InvalidError("meta.k8s.io", "PatchOptions", "",
                        {FieldError::Make(FieldError::Type::kRequired, "fieldManager", nullptr, "is required for apply patch")});
  Reply reply;
  json::Json applied;
  if (apply) {
    KT_ASSIGN_OR_RETURN(applied, ParseBody("application/apply-patch+yaml", req.body));
    KT_RETURN_IF_ERROR(CheckTypeMeta(rt, applied));
    KT_RETURN_IF_ERROR(FieldValidation(req, applied, &reply.warnings));
    KT_RETURN_IF_ERROR(Normalize(rt, applied));
    if (rt.kind == "Namespace") applied.erase("status");
  }
  ApplyOptions opts{req.Param("fieldManager"), force.value_or(false), rt.ApiVersion(), NowRfc3339()};
  for (int attempt = 0;; ++attempt) {
    ObjectPtr live = store_.Get(rt, req.path.ns, req.path.name);
    if (!live && !apply) return NotFoundError(rt, req.path.name);
    if (!live) {
      KT_ASSIGN_OR_RETURN(json::Json merged, ServerSideApply(nullptr, applied, opts));
      if (MetaStr(merged, "name").empty()) Meta(merged)["name"] = req.path.name;
      if (MetaStr(merged, "name") != req.path.name)
        return BadRequestError("the name of the object (" + MetaStr(merged, "name") +
                               ") does not match the name on the URL (" + req.path.name + ")");
      KT_RETURN_IF_ERROR(Normalize(rt, merged));
      KT_ASSIGN_OR_RETURN(ObjectPtr created, CreateObject(req, std::move(merged), dry_run, &reply.warnings, false));
      reply.status = 201;
      reply.raw_body = Dump(*created);
      return reply;
    }
    json::Json patched;
    if (apply) {
      KT_ASSIGN_OR_RETURN(patched, ServerSideApply(*live, applied, opts));
    } else {
      KT_ASSIGN_OR_RETURN(patched, ApplyPatch(req, *live));
      KT_RETURN_IF_ERROR(CheckTypeMeta(rt, patched));
      KT_RETURN_IF_ERROR(FieldValidation(req, patched, &reply.warnings));
    }
    KT_RETURN_IF_ERROR(Normalize(rt, patched));
    uint64_t live_rv = ObjectRv(*live);
    uint64_t patched_rv = ObjectRv(patched);
    bool precondition = patched_rv != 0 && patched_rv != live_rv;
    if (precondition) return ConflictError(rt, req.path.name);
    Result<ObjectPtr> updated = UpdateObject(req, *live, std::move(patched), live_rv, dry_run, &reply.warnings, !apply);
    if (!updated.ok() && updated.error().IsConflict() && attempt < 5 &&
        updated.error().message().find("the object has been modified") != std::string::npos)
      continue;  // raced with another writer: re-read and re-apply, as upstream does
    if (!updated.ok()) return std::move(updated).error();
    reply.raw_body = Dump(**updated);
    return reply;
  }
}

}  // namespace kargo_token::kube_sim
