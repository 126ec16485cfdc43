#include "plugin/output/kubeconfig_output.h"

#include "shared/json/yaml_json.h"
#include "shared/kubeconfig/base64.h"

namespace kargo_token::plugin::output {

std::string TokenKubeconfig(const kubeconfig::ClientConfig& config, const std::string& ns,
                            const std::string& token_name, const SecretString& token) {
  std::string cluster_name = config.cluster_name.empty() ? "kubernetes" : config.cluster_name;
  json::Json cluster = {{"server", config.server}};
  if (!config.ca_pem.empty()) cluster["certificate-authority-data"] = kubeconfig::Base64Encode(config.ca_pem);
  if (!config.tls_server_name.empty()) cluster["tls-server-name"] = config.tls_server_name;
  if (config.insecure_skip_tls_verify) cluster["insecure-skip-tls-verify"] = true;
  std::string context_name = token_name + "@" + cluster_name;
  json::Json kubeconfig = {
      {"apiVersion", "v1"},
      {"kind", "Config"},
      {"clusters", {{{"name", cluster_name}, {"cluster", cluster}}}},
      {"users", {{{"name", token_name}, {"user", {{"token", token.Reveal()}}}}}},
      {"contexts", {{{"name", context_name},
                     {"context", {{"cluster", cluster_name}, {"user", token_name}, {"namespace", ns}}}}}},
      {"current-context", context_name},
      {"preferences", json::Json::object()}};
  return json::ToYaml(kubeconfig);
}

}  // namespace kargo_token::plugin::output
