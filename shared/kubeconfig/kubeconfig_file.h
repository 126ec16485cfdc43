// The kubeconfig file model: a faithful, typed mirror of client-go's
// clientcmd/api types (clusters, users, contexts, current-context,
// preferences, extensions), and the parser for one file.
//
// Named lists become maps keyed by name; every entry remembers the file it came
// from (LocationOfOrigin) so relative paths can be resolved against that
// file's directory (shared/kubeconfig/loading_rules.h). `*-data` fields hold
// the decoded bytes (the file has base64). Nothing here resolves paths, reads
// referenced files or applies command-line overrides.
#ifndef KARGO_TOKEN_SHARED_KUBECONFIG_KUBECONFIG_FILE_H_
#define KARGO_TOKEN_SHARED_KUBECONFIG_KUBECONFIG_FILE_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"
#include "shared/base/secret_string.h"
#include "shared/json/yaml_json.h"

namespace kargo_token::kubeconfig {

// Extensions by name; each value is the free-form `extension` object.
using Extensions = std::map<std::string, json::Json>;

struct Cluster {
  std::string location_of_origin;
  std::string server;
  std::string tls_server_name;
  bool insecure_skip_tls_verify = false;
  std::string certificate_authority;       // file path
  std::string certificate_authority_data;  // PEM bytes (decoded)
  std::string proxy_url;
  bool disable_compression = false;
  Extensions extensions;

  friend bool operator==(const Cluster&, const Cluster&) = default;
};

struct ExecEnvVar {
  std::string name;
  std::string value;
  friend bool operator==(const ExecEnvVar&, const ExecEnvVar&) = default;
};

// ExecConfig is a user's `exec` stanza (client.authentication.k8s.io plugin).
struct ExecConfig {
  std::string command;
  std::vector<std::string> args;
  std::vector<ExecEnvVar> env;
  std::string api_version;
  std::string install_hint;
  bool provide_cluster_info = false;
  // Never, IfAvailable or Always. Defaulted to IfAvailable for v1beta1 when
  // absent (client-go api/v1/defaults.go); v1 requires it.
  std::string interactive_mode;

  friend bool operator==(const ExecConfig&, const ExecConfig&) = default;
};

// AuthProviderConfig is the legacy `auth-provider` stanza.
struct AuthProviderConfig {
  std::string name;
  std::map<std::string, std::string> config;
  friend bool operator==(const AuthProviderConfig&, const AuthProviderConfig&) = default;
};

// AuthInfo is a `users[].user` entry.
struct AuthInfo {
  std::string location_of_origin;
  std::string client_certificate;       // file path
  std::string client_certificate_data;  // PEM bytes (decoded)
  std::string client_key;               // file path
  SecretString client_key_data;         // PEM bytes (decoded)
  SecretString token;
  std::string token_file;
  std::string impersonate;                                                 // `as`
  std::string impersonate_uid;                                             // `as-uid`
  std::vector<std::string> impersonate_groups;                             // `as-groups`
  std::map<std::string, std::vector<std::string>> impersonate_user_extra;  // `as-user-extra`
  std::string username;
  SecretString password;
  std::optional<AuthProviderConfig> auth_provider;
  std::optional<ExecConfig> exec;
  Extensions extensions;

  friend bool operator==(const AuthInfo&, const AuthInfo&) = default;
};

struct Context {
  std::string location_of_origin;
  std::string cluster;
  std::string auth_info;  // `user`
  std::string namespace_name;
  Extensions extensions;

  friend bool operator==(const Context&, const Context&) = default;
};

struct Config {
  std::string current_context;
  json::Json preferences = json::Json::object();
  std::map<std::string, Cluster> clusters;
  std::map<std::string, AuthInfo> auth_infos;
  std::map<std::string, Context> contexts;
  Extensions extensions;

  // Empty reports whether nothing at all is configured.
  bool Empty() const {
    return current_context.empty() && clusters.empty() && auth_infos.empty() && contexts.empty();
  }
};

// ParseConfig parses kubeconfig text (YAML or JSON; only the first YAML
// document is read; UTF-8 BOM and UTF-16 are accepted; empty text is an empty
// Config). `origin` becomes every entry's location_of_origin. Unknown fields
// are ignored. Errors (kParse) name the field: wrong types (a quoted "true" for
// a boolean), bad base64, duplicate names in a list, entries without a name.
Result<Config> ParseConfig(std::string_view text, const std::string& origin);

// LoadConfigFile reads and parses one file. Every failure is one error
// `error loading config file "<path>": <what and where>`; a missing file is
// kNotFound so loading rules can skip it.
Result<Config> LoadConfigFile(const std::string& path);

}  // namespace kargo_token::kubeconfig

#endif  // KARGO_TOKEN_SHARED_KUBECONFIG_KUBECONFIG_FILE_H_
