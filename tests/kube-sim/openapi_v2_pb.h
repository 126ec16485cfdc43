// A hand-written encoder for the small subset of the gnostic OpenAPI v2
// protobuf (google/gnostic openapiv2/OpenAPIv2.proto) that kubectl reads to
// decide whether a GVK's PATCH accepts a query parameter.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_OPENAPI_V2_PB_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_OPENAPI_V2_PB_H_

#include <string>

#include "shared/json/yaml_json.h"

namespace kargo_token::kube_sim {

// EncodeOpenApiV2Protobuf encodes a Swagger 2.0 JSON document as an
// openapi_v2.Document. Encoded: swagger(1), info(2){title(1), version(2)},
// paths(8){path(2)[]: NamedPathItem{name(1), value(2): PathItem{get(2),
// put(3), post(4), delete(5), patch(8): Operation}}}. Operation:
// description(3), operation_id(5), parameters(8)[] (query parameters only:
// ParametersItem{parameter(1): Parameter{non_body_parameter(2):
// NonBodyParameter{query_parameter_sub_schema(3): {required(1), in(2),
// description(3), name(4), type(6)}}}}),
// vendor_extension(13)[]: NamedAny{name(1), value(2): Any{yaml(2)}} for every
// "x-" key. Everything else in the input is ignored.
std::string EncodeOpenApiV2Protobuf(const json::Json& swagger);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_OPENAPI_V2_PB_H_
