#include "shared/kubeconfig/kubeconfig_file.h"

#include <utility>

#include "shared/kubeconfig/base64.h"
#include "shared/kubeconfig/file_util.h"

namespace kargo_token::kubeconfig {
namespace {

using json::Json;

std::string TypeName(const Json& v) {
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "a list";
  if (v.is_object()) return "a mapping";
  return "null";
}

Error TypeError(const std::string& path, std::string_view want, const Json& got) {
  std::string message = path + ": expected " + std::string(want) + ", got " + TypeName(got);
  if (want == "a boolean" && got.is_string()) {
    message += " (write true or false without quotes)";
  }
  return Error::Parse(message);
}

// FieldReader reads typed fields of one JSON object; errors carry the field's
// path, e.g. `clusters["c"].cluster.insecure-skip-tls-verify`. Absent and null
// fields leave the destination unchanged, as Go's JSON decoder does.
class FieldReader {
 public:
  FieldReader(const Json& object, std::string path) : object_(object), path_(std::move(path)) {}

  const Json* Find(const std::string& key) const {
    auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  std::string Path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  Result<void> String(const std::string& key, std::string& out) const {
    const Json* v = Find(key);
    if (v == nullptr) return Ok();
    if (!v->is_string()) return TypeError(Path(key), "a string", *v);
    out = v->get<std::string>();
    return Ok();
  }
  Result<void> Secret(const std::string& key, SecretString& out) const {
    std::string value;
    KT_RETURN_IF_ERROR(String(key, value));
    out = SecretString(std::move(value));
    return Ok();
  }
  Result<void> Bool(const std::string& key, bool& out) const {
    const Json* v = Find(key);
    if (v == nullptr) return Ok();
    if (!v->is_boolean()) return TypeError(Path(key), "a boolean", *v);
    out = v->get<bool>();
    return Ok();
  }
  // Bytes reads a base64 []byte field and stores the decoded bytes.
  Result<void> Bytes(const std::string& key, std::string& out) const {
    std::string encoded;
    KT_RETURN_IF_ERROR(String(key, encoded));
    Result<std::string> decoded = Base64Decode(encoded);
    if (!decoded.ok()) return Error::Parse(Path(key) + ": " + decoded.error().message());
    out = std::move(*decoded);
    return Ok();
  }
  Result<void> SecretBytes(const std::string& key, SecretString& out) const {
    std::string value;
    KT_RETURN_IF_ERROR(Bytes(key, value));
    out = SecretString(std::move(value));
    return Ok();
  }
  Result<void> StringList(const std::string& key, std::vector<std::string>& out) const {
    const Json* v = Find(key);
    if (v == nullptr) return Ok();
    if (!v->is_array()) return TypeError(Path(key), "a list", *v);
    out.clear();
    for (size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) {
        return TypeError(Path(key) + "[" + std::to_string(i) + "]", "a string", (*v)[i]);
      }
      out.push_back((*v)[i].get<std::string>());
    }
    return Ok();
  }
  Result<const Json*> Object(const std::string& key) const {
    const Json* v = Find(key);
    if (v != nullptr && !v->is_object()) return TypeError(Path(key), "a mapping", *v);
    return v;
  }

 private:
  const Json& object_;
  std::string path_;
};

// ForEachNamed walks the named list `key` of `parent` (`clusters`, `users`,
// `extensions`, ...), checking shapes and duplicate names, and calls
// `fn(name, entry, path)` where `entry` is the object under `entry_key` (e.g.
// "cluster") or nullptr when absent.
template <class Fn>
Result<void> ForEachNamed(const FieldReader& parent, const std::string& key,
                          const std::string& entry_key, Fn fn) {
  const Json* list = parent.Find(key);
  const std::string list_path = parent.Path(key);
  if (list == nullptr) return Ok();
  if (!list->is_array()) return TypeError(list_path, "a list", *list);
  std::map<std::string, bool> seen;
  for (size_t i = 0; i < list->size(); ++i) {
    const Json& item = (*list)[i];
    std::string path = list_path + "[" + std::to_string(i) + "]";
    if (!item.is_object()) return TypeError(path, "a mapping", item);
    std::string name;
    KT_RETURN_IF_ERROR(FieldReader(item, path).String("name", name));
    if (seen.count(name) > 0) {
      return Error::Parse("duplicate name \"" + name + "\" in list " + list_path);
    }
    seen[name] = true;
    path = list_path + "[\"" + name + "\"]";
    KT_ASSIGN_OR_RETURN(const Json* entry, FieldReader(item, path).Object(entry_key));
    KT_RETURN_IF_ERROR(fn(name, entry, path + "." + entry_key));
  }
  return Ok();
}

Result<void> ReadExtensions(const FieldReader& r, Extensions& out) {
  return ForEachNamed(
      r, "extensions", "extension",
      [&](const std::string& name, const Json* value, const std::string&) -> Result<void> {
        out[name] = value == nullptr ? Json(nullptr) : *value;
        return Result<void>();
      });
}

Result<void> ReadCluster(const FieldReader& r, Cluster& c) {
  KT_RETURN_IF_ERROR(r.String("server", c.server));
  KT_RETURN_IF_ERROR(r.String("tls-server-name", c.tls_server_name));
  KT_RETURN_IF_ERROR(r.Bool("insecure-skip-tls-verify", c.insecure_skip_tls_verify));
  KT_RETURN_IF_ERROR(r.String("certificate-authority", c.certificate_authority));
  KT_RETURN_IF_ERROR(r.Bytes("certificate-authority-data", c.certificate_authority_data));
  KT_RETURN_IF_ERROR(r.String("proxy-url", c.proxy_url));
  KT_RETURN_IF_ERROR(r.Bool("disable-compression", c.disable_compression));
  return ReadExtensions(r, c.extensions);
}

Result<void> ReadExecEnv(const FieldReader& r, std::vector<ExecEnvVar>& out) {
  const Json* env = r.Find("env");
  if (env == nullptr) return Ok();
  if (!env->is_array()) return TypeError(r.Path("env"), "a list", *env);
  for (size_t i = 0; i < env->size(); ++i) {
    std::string path = r.Path("env") + "[" + std::to_string(i) + "]";
    if (!(*env)[i].is_object()) return TypeError(path, "a mapping", (*env)[i]);
    FieldReader item((*env)[i], path);
    ExecEnvVar var;
    KT_RETURN_IF_ERROR(item.String("name", var.name));
    KT_RETURN_IF_ERROR(item.String("value", var.value));
    out.push_back(std::move(var));
  }
  return Ok();
}

Result<void> ReadExec(const FieldReader& r, ExecConfig& e) {
  KT_RETURN_IF_ERROR(r.String("command", e.command));
  KT_RETURN_IF_ERROR(r.StringList("args", e.args));
  KT_RETURN_IF_ERROR(ReadExecEnv(r, e.env));
  KT_RETURN_IF_ERROR(r.String("apiVersion", e.api_version));
  KT_RETURN_IF_ERROR(r.String("installHint", e.install_hint));
  KT_RETURN_IF_ERROR(r.Bool("provideClusterInfo", e.provide_cluster_info));
  KT_RETURN_IF_ERROR(r.String("interactiveMode", e.interactive_mode));
  if (e.interactive_mode.empty() && e.api_version == "client.authentication.k8s.io/v1beta1") {
    e.interactive_mode = "IfAvailable";
  }
  return Ok();
}

Result<void> ReadAuthProvider(const FieldReader& r, AuthProviderConfig& p) {
  KT_RETURN_IF_ERROR(r.String("name", p.name));
  KT_ASSIGN_OR_RETURN(const Json* config, r.Object("config"));
  if (config == nullptr) return Ok();
  FieldReader cr(*config, r.Path("config"));
  for (const auto& [key, value] : config->items()) {
    KT_RETURN_IF_ERROR(cr.String(key, p.config[key]));
  }
  return Ok();
}

Result<void> ReadUserExtra(const FieldReader& r, AuthInfo& u) {
  KT_ASSIGN_OR_RETURN(const Json* extra, r.Object("as-user-extra"));
  if (extra == nullptr) return Ok();
  FieldReader er(*extra, r.Path("as-user-extra"));
  for (const auto& [key, value] : extra->items()) {
    KT_RETURN_IF_ERROR(er.StringList(key, u.impersonate_user_extra[key]));
  }
  return Ok();
}

Result<void> ReadAuthInfo(const FieldReader& r, AuthInfo& u) {
  KT_RETURN_IF_ERROR(r.String("client-certificate", u.client_certificate));
  KT_RETURN_IF_ERROR(r.Bytes("client-certificate-data", u.client_certificate_data));
  KT_RETURN_IF_ERROR(r.String("client-key", u.client_key));
  KT_RETURN_IF_ERROR(r.SecretBytes("client-key-data", u.client_key_data));
  KT_RETURN_IF_ERROR(r.Secret("token", u.token));
  KT_RETURN_IF_ERROR(r.String("tokenFile", u.token_file));
  KT_RETURN_IF_ERROR(r.String("as", u.impersonate));
  KT_RETURN_IF_ERROR(r.String("as-uid", u.impersonate_uid));
  KT_RETURN_IF_ERROR(r.StringList("as-groups", u.impersonate_groups));
  KT_RETURN_IF_ERROR(ReadUserExtra(r, u));
  KT_RETURN_IF_ERROR(r.String("username", u.username));
  KT_RETURN_IF_ERROR(r.Secret("password", u.password));
  KT_ASSIGN_OR_RETURN(const Json* provider, r.Object("auth-provider"));
  if (provider != nullptr) {
    u.auth_provider.emplace();
    KT_RETURN_IF_ERROR(
        ReadAuthProvider(FieldReader(*provider, r.Path("auth-provider")), *u.auth_provider));
  }
  KT_ASSIGN_OR_RETURN(const Json* exec, r.Object("exec"));
  if (exec != nullptr) {
    u.exec.emplace();
    KT_RETURN_IF_ERROR(ReadExec(FieldReader(*exec, r.Path("exec")), *u.exec));
  }
  return ReadExtensions(r, u.extensions);
}

Result<void> ReadContext(const FieldReader& r, Context& c) {
  KT_RETURN_IF_ERROR(r.String("cluster", c.cluster));
  KT_RETURN_IF_ERROR(r.String("user", c.auth_info));
  KT_RETURN_IF_ERROR(r.String("namespace", c.namespace_name));
  return ReadExtensions(r, c.extensions);
}

// ReadEntries fills `out` from one named list using `read` for each entry.
template <class T, class ReadFn>
Result<void> ReadEntries(const FieldReader& top, const std::string& list_key,
                         const std::string& entry_key, const std::string& origin,
                         std::map<std::string, T>& out, ReadFn read) {
  return ForEachNamed(
      top, list_key, entry_key,
      [&](const std::string& name, const Json* value, const std::string& path) -> Result<void> {
        T entry;
        entry.location_of_origin = origin;
        if (value != nullptr) KT_RETURN_IF_ERROR(read(FieldReader(*value, path), entry));
        out.emplace(name, std::move(entry));
        return Result<void>();
      });
}

Result<Config> ParseDocument(const Json& doc, const std::string& origin) {
  Config config;
  if (doc.is_null()) return config;
  if (!doc.is_object()) return TypeError("top level", "a mapping", doc);
  FieldReader top(doc, "");
  KT_RETURN_IF_ERROR(top.String("current-context", config.current_context));
  KT_ASSIGN_OR_RETURN(const Json* preferences, top.Object("preferences"));
  if (preferences != nullptr) config.preferences = *preferences;
  KT_RETURN_IF_ERROR(ReadEntries(top, "clusters", "cluster", origin, config.clusters, ReadCluster));
  KT_RETURN_IF_ERROR(ReadEntries(top, "users", "user", origin, config.auth_infos, ReadAuthInfo));
  KT_RETURN_IF_ERROR(ReadEntries(top, "contexts", "context", origin, config.contexts, ReadContext));
  KT_RETURN_IF_ERROR(ReadExtensions(top, config.extensions));
  return config;
}

}  // namespace

Result<Config> ParseConfig(std::string_view text, const std::string& origin) {
  KT_ASSIGN_OR_RETURN(Json doc, json::ParseYaml(text));
  return ParseDocument(doc, origin);
}

Result<Config> LoadConfigFile(const std::string& path) {
  const std::string context = "error loading config file \"" + path + "\"";
  Result<std::string> text = ReadFileToString(path);
  if (!text.ok()) return text.error().Wrap(context);
  Result<Config> config = ParseConfig(*text, path);
  if (!config.ok()) return config.error().Wrap(context);
  return config;
}

}  // namespace kargo_token::kubeconfig
