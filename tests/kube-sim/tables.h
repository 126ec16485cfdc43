// Server-side Table output (meta.k8s.io/v1 Table) per resource type, with the
// columns upstream's printers register (k/k pkg/printers/internalversion/
// printers.go; RBAC roles use the default convertor: Name, Created At).
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_TABLES_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_TABLES_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "shared/json/yaml_json.h"
#include "tests/kube-sim/resources.h"
#include "tests/kube-sim/store.h"

namespace kargo_token::kube_sim {

// WantsTable: the Accept header asks for `as=Table` (kubectl get's default
// and wide output). Table is served for any of its v1/v1beta1 forms.
bool WantsTable(const std::string& accept);

// HumanDuration renders an age like apimachinery's duration.HumanDuration
// ("5s", "2m3s", "10m", "3h4m", "2d5h", "1y10d").
std::string HumanDuration(int64_t seconds);

// TableColumns: the columnDefinitions of `rt`.
json::Json TableColumns(const ResourceType& rt);

// TableRow: {cells, object: PartialObjectMetadata} for one object.
json::Json TableRow(const ResourceType& rt, const json::Json& obj,
                    std::chrono::system_clock::time_point now);

// MakeTable builds a Table of `items`; columnDefinitions are left empty when
// !with_columns (watch events after the first). `rv` and `cont` fill the
// list metadata ("" omits continue); remaining > 0 adds remainingItemCount.
json::Json MakeTable(const ResourceType& rt, const std::vector<ObjectPtr>& items, bool with_columns,
                     const std::string& rv, const std::string& cont, size_t remaining);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_TABLES_H_
