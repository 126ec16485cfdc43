// metadata.managedFields entries: reading, writing in upstream's order, and
// the manager descriptions used in conflict messages.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_MANAGED_ENTRIES_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_MANAGED_ENTRIES_H_

#include <string>
#include <vector>

#include "shared/json/yaml_json.h"
#include "tests/kube-sim/patch/field_set.h"

namespace kargo_token::kube_sim {

struct ManagedEntry {
  std::string manager;
  std::string operation;  // "Apply" or "Update"
  std::string api_version;
  std::string time;
  std::string subresource;
  FieldSet fields;
};

// ReadManagedFields decodes obj.metadata.managedFields; entries that are not
// objects or have no manager are dropped (upstream resets undecodable
// managedFields rather than failing the request).
std::vector<ManagedEntry> ReadManagedFields(const json::Json& obj);

// WriteManagedFields stores `entries` into obj.metadata.managedFields, sorted
// like upstream (operation, time, manager, apiVersion, subresource), without
// the entries that own nothing; removes the key when none remain.
void WriteManagedFields(json::Json& obj, std::vector<ManagedEntry> entries);

// DescribeManager renders an entry like managedfields' printManager:
// `"kubectl"` for Apply, `"kubectl-create" using v1` for Update.
std::string DescribeManager(const ManagedEntry& entry);

// FindEntry returns the entry with this identity, or nullptr. Update entries
// are also identified by their apiVersion, Apply entries are not.
ManagedEntry* FindEntry(std::vector<ManagedEntry>& entries, const std::string& manager,
                        const std::string& operation, const std::string& api_version);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_PATCH_MANAGED_ENTRIES_H_
