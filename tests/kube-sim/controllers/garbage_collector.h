// GarbageCollector: kube-controller-manager's garbage collector for kube-sim
// (k/k pkg/controller/garbagecollector). Dependents whose every owner
// (metadata.ownerReferences, matched by uid) is gone are deleted (background
// propagation, also for objects created with a dangling owner); an owner being
// deleted with the `foregroundDeletion` finalizer loses the finalizer once its
// dependents are gone; with `orphan` its dependents lose the ownerReference
// first. Owners are found by apiVersion/kind/name in the dependent's namespace
// (or cluster scope) and must have the referenced uid.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_CONTROLLERS_GARBAGE_COLLECTOR_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_CONTROLLERS_GARBAGE_COLLECTOR_H_

#include <set>
#include <string>

#include "tests/kube-sim/controllers/event_loop.h"
#include "tests/kube-sim/controllers/object_writer.h"

namespace kargo_token::kube_sim {

class GarbageCollector : public EventLoop {
 public:
  GarbageCollector(Store& store, ObjectWriter& writer);
  ~GarbageCollector() override;

 protected:
  void Resync() override;
  void OnEvent(const WatchEvent& event) override;
  void Tick() override;

 private:
  // A full pass over every stored object; cheap enough for test clusters and
  // only run when something with owners or finalizers changed.
  void Collect();
  bool OwnerExists(const json::Json& dependent, const json::Json& ref) const;
  void FinishForeground(const ResourceType& rt, const json::Json& owner);
  void FinishOrphan(const ResourceType& rt, const json::Json& owner);

  ObjectWriter& writer_;
  bool dirty_ = true;
};

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_CONTROLLERS_GARBAGE_COLLECTOR_H_
