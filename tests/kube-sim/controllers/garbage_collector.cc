#include "tests/kube-sim/controllers/garbage_collector.h"

#include <algorithm>
#include <vector>

namespace kargo_token::kube_sim {
namespace {

const json::Json& Meta(const json::Json& obj) {
  static const json::Json kEmpty = json::Json::object();
  return obj.contains("metadata") ? obj["metadata"] : kEmpty;
}

bool HasFinalizer(const json::Json& obj, const std::string& finalizer) {
  const json::Json& f = Meta(obj).value("finalizers", json::Json::array());
  return std::find(f.begin(), f.end(), finalizer) != f.end();
}

json::Json WithoutFinalizer(json::Json obj, const std::string& finalizer) {
  json::Json& f = obj["metadata"]["finalizers"];
  f.erase(std::remove(f.begin(), f.end(), finalizer), f.end());
  return obj;
}

std::string Uid(const json::Json& obj) { return Meta(obj).value("uid", ""); }

std::vector<ObjectPtr> AllOf(const Store& store, const ResourceType& rt) {
  return store.List(rt, ListOptions{}).items;
}

// DependentsOf lists (type, object) pairs that reference `owner_uid`.
std::vector<std::pair<const ResourceType*, ObjectPtr>> DependentsOf(const Store& store,
                                                                     const std::string& owner_uid) {
  std::vector<std::pair<const ResourceType*, ObjectPtr>> out;
  for (const auto& rt : AllResourceTypes()) {
    if (rt.is_virtual) continue;
    for (const auto& obj : AllOf(store, rt))
      for (const auto& ref : Meta(*obj).value("ownerReferences", json::Json::array()))
        if (ref.value("uid", "") == owner_uid) out.emplace_back(&rt, obj);
  }
  return out;
}

}  // namespace

GarbageCollector::GarbageCollector(Store& store, ObjectWriter& writer)
    : EventLoop(store, std::chrono::milliseconds(50)), writer_(writer) {}

GarbageCollector::~GarbageCollector() { Stop(); }

void GarbageCollector::Resync() { dirty_ = true; }

void GarbageCollector::OnEvent(const WatchEvent& event) {
  // Deletions may orphan dependents; owned or finalizing objects may need work.
  const json::Json& meta = Meta(*event.object);
  if (event.type == "DELETED" || meta.contains("ownerReferences") || meta.contains("deletionTimestamp"))
    dirty_ = true;
}

void GarbageCollector::Tick() {
  if (!dirty_) return;
  dirty_ = false;
  Collect();
}

bool GarbageCollector::OwnerExists(const json::Json& dependent, const json::Json& ref) const {
  const ResourceType* rt = FindResourceTypeByKind(ref.value("apiVersion", ""), ref.value("kind", ""));
  if (!rt) return true;  // a kind kube-sim does not serve: never collect on its account
  std::string ns = rt->namespaced ? ObjectNamespace(dependent) : "";
  ObjectPtr owner = store_.Get(*rt, ns, ref.value("name", ""));
  return owner && Uid(*owner) == ref.value("uid", "");
}

void GarbageCollector::Collect() {
  for (const auto& rt : AllResourceTypes()) {
    if (rt.is_virtual) continue;
    for (const auto& obj : AllOf(store_, rt)) {
      const json::Json& meta = Meta(*obj);
      if (meta.contains("deletionTimestamp")) {
        if (HasFinalizer(*obj, "orphan")) FinishOrphan(rt, *obj);
        else if (HasFinalizer(*obj, "foregroundDeletion")) FinishForeground(rt, *obj);
        continue;
      }
      const json::Json& refs = meta.value("ownerReferences", json::Json::array());
      if (refs.empty()) continue;
      bool any_owner = std::any_of(refs.begin(), refs.end(),
                                   [&](const json::Json& ref) { return OwnerExists(*obj, ref); });
      if (!any_owner) {
        (void)writer_.Delete(rt, ObjectNamespace(*obj), ObjectName(*obj), Uid(*obj));
        dirty_ = true;  // its own dependents are next
      }
    }
  }
}

void GarbageCollector::FinishForeground(const ResourceType& rt, const json::Json& owner) {
  auto dependents = DependentsOf(store_, Uid(owner));
  for (const auto& [drt, dep] : dependents)
    if (!Meta(*dep).contains("deletionTimestamp"))
      (void)writer_.Delete(*drt, ObjectNamespace(*dep), ObjectName(*dep), Uid(*dep));
  if (DependentsOf(store_, Uid(owner)).empty())
    (void)writer_.Update(rt, WithoutFinalizer(owner, "foregroundDeletion"), ObjectRv(owner));
  else
    dirty_ = true;
}

void GarbageCollector::FinishOrphan(const ResourceType& rt, const json::Json& owner) {
  std::string owner_uid = Uid(owner);
  for (const auto& [drt, dep] : DependentsOf(store_, owner_uid)) {
    json::Json copy = *dep;
    json::Json& refs = copy["metadata"]["ownerReferences"];
    refs.erase(std::remove_if(refs.begin(), refs.end(),
                              [&](const json::Json& r) { return r.value("uid", "") == owner_uid; }),
               refs.end());
    if (refs.empty()) copy["metadata"].erase("ownerReferences");
    (void)writer_.Update(*drt, std::move(copy), ObjectRv(*dep));
  }
  (void)writer_.Update(rt, WithoutFinalizer(owner, "orphan"), ObjectRv(owner));
}

}  // namespace kargo_token::kube_sim
