// PrintNewToken: how create, create --bound and rotate show a new token, the
// only time its value is printed: the kargo CLI's three-part block, or
// -o yaml|json (the object with the raw value), -o name, -o kubeconfig.
#ifndef KARGO_TOKEN_PLUGIN_OUTPUT_TOKEN_OUTPUT_H_
#define KARGO_TOKEN_PLUGIN_OUTPUT_TOKEN_OUTPUT_H_

#include <ostream>
#include <string>

#include "shared/base/result.h"
#include "shared/base/secret_string.h"
#include "shared/json/yaml_json.h"
#include "shared/kubeconfig/client_config.h"

namespace kargo_token::plugin::output {

// The -o values a new token accepts, and the error for any other.
Result<void> CheckNewTokenFormat(const std::string& format);

// NewToken is what was minted: the object to show for -o yaml|json, the
// `-o name` line's resource ("secret/NAME"), where it lives and the value.
struct NewToken {
  json::Json object;
  std::string resource_name;
  std::string ns;
  std::string name;  // the kubeconfig user's name
  SecretString value;
};

void PrintNewToken(std::ostream& out, const std::string& format,
                   const kubeconfig::ClientConfig& config, const NewToken& token);

}  // namespace kargo_token::plugin::output

#endif  // KARGO_TOKEN_PLUGIN_OUTPUT_TOKEN_OUTPUT_H_
