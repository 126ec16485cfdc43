#include "tests/kube-sim/controllers/object_writer.h"

namespace kargo_token::kube_sim {

Result<void> StoreWriter::Update(const ResourceType& rt, json::Json obj, uint64_t expected_rv) {
  const json::Json& meta = obj["metadata"];
  bool deleting = meta.contains("deletionTimestamp");
  bool no_finalizers = !meta.contains("finalizers") || meta["finalizers"].empty();
  if (deleting && no_finalizers) {
    return Delete(rt, ObjectNamespace(obj), ObjectName(obj), meta.value("uid", ""));
  }
  KT_RETURN_IF_ERROR(store_.Update(rt, std::move(obj), expected_rv, false));
  return Ok();
}

Result<void> StoreWriter::Delete(const ResourceType& rt, const std::string& ns, const std::string& name,
                                 const std::string& uid) {
  ObjectPtr current = store_.Get(rt, ns, name);
  if (!current) return Error::NotFound(rt.plural + " \"" + name + "\" not found");
  if (!uid.empty() && (*current)["metadata"].value("uid", "") != uid)
    return Error::Conflict("uid precondition failed for " + rt.plural + " \"" + name + "\"");
  KT_RETURN_IF_ERROR(store_.Delete(rt, ns, name, ObjectRv(*current), false));
  return Ok();
}

}  // namespace kargo_token::kube_sim
