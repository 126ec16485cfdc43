// ObjectWriter: how kube-sim's controllers write. The real controllers write
// through the API server (so admission webhooks see them, under the
// controller's identity); kube-sim's server implements this interface over its
// request pipeline, and StoreWriter writes to the Store directly (tests).
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_CONTROLLERS_OBJECT_WRITER_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_CONTROLLERS_OBJECT_WRITER_H_

#include <string>

#include "shared/base/result.h"
#include "tests/kube-sim/store.h"

namespace kargo_token::kube_sim {

class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;
  // Update replaces the object if its resourceVersion is still expected_rv.
  // Clearing the last finalizer of an object being deleted removes it.
  virtual Result<void> Update(const ResourceType& rt, json::Json obj, uint64_t expected_rv) = 0;
  // Delete removes the object, if its uid is still `uid` (a precondition).
  virtual Result<void> Delete(const ResourceType& rt, const std::string& ns, const std::string& name,
                              const std::string& uid) = 0;
};

// StoreWriter writes straight to the Store (no admission).
class StoreWriter : public ObjectWriter {
 public:
  explicit StoreWriter(Store& store) : store_(store) {}
  Result<void> Update(const ResourceType& rt, json::Json obj, uint64_t expected_rv) override;
  Result<void> Delete(const ResourceType& rt, const std::string& ns, const std::string& name,
                      const std::string& uid) override;

 private:
  Store& store_;
};

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_CONTROLLERS_OBJECT_WRITER_H_
