// kube-sim's OpenAPI documents, derived from the resource table: the v3 index
// and per-group-version documents kubectl 1.29+ query for `fieldValidation`,
// and the v2 document kubectl 1.27/1.28 fetch as gnostic protobuf. Only the
// operations, their query parameters and x-kubernetes-group-version-kind are
// modelled; there are no schema definitions (`kubectl explain` won't work).
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_OPENAPI_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_OPENAPI_H_

#include <optional>
#include <string>

#include "shared/json/yaml_json.h"
#include "tests/kube-sim/discovery.h"

namespace kargo_token::kube_sim {

// OpenApiV3Index is the body of GET /openapi/v3:
// {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=H"},...}}
// where H is the SHA-512 (upper-case hex) of that document's JSON.
json::Json OpenApiV3Index(const std::string& kubernetes_version);

// OpenApiV3Document is the OpenAPI 3.0 document of one group-version;
// `gv_path` is "api/v1" or "apis/<group>/<version>". nullopt if not served.
// PATCH operations list dryRun/fieldManager/fieldValidation/force and accept
// apply-patch+yaml, json-patch+json and merge-patch+json — deliberately not
// strategic-merge-patch+json, so kubectl computes SMP from compiled-in types.
std::optional<json::Json> OpenApiV3Document(const std::string& gv_path,
                                            const std::string& kubernetes_version);

// OpenApiV2Document is a Swagger 2.0 document with one PATCH operation per
// stored type (query parameters and the GVK extension only).
json::Json OpenApiV2Document(const std::string& kubernetes_version);

// ServeOpenApiV2 answers GET /openapi/v2: gnostic protobuf when `accept`
// names application/com.github.proto-openapi.spec.v2@v1.0+protobuf (answered
// as ...spec.v2.v1.0+protobuf, as upstream does), else JSON.
HttpReply ServeOpenApiV2(const std::string& accept, const std::string& kubernetes_version);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_OPENAPI_H_
