// Standard base64 (RFC 4648, with padding) as Go's encoding/json uses for
// []byte fields such as certificate-authority-data.
#ifndef KARGO_TOKEN_SHARED_KUBECONFIG_BASE64_H_
#define KARGO_TOKEN_SHARED_KUBECONFIG_BASE64_H_

#include <string>
#include <string_view>

#include "shared/base/result.h"

namespace kargo_token::kubeconfig {

// Base64Encode returns the padded standard encoding of `bytes`.
std::string Base64Encode(std::string_view bytes);

// Base64Decode decodes the padded standard encoding; CR and LF are skipped
// (as Go does). Errors are kParse: "illegal base64 data at input byte N".
Result<std::string> Base64Decode(std::string_view text);

}  // namespace kargo_token::kubeconfig

#endif  // KARGO_TOKEN_SHARED_KUBECONFIG_BASE64_H_
