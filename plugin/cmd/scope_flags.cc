#include "plugin/cmd/scope_flags.h"

#include <cstdlib>

#include "shared/kargo/labels.h"

namespace kargo_token::plugin {

void ScopeFlags::Register(CLI::App& app, bool allow_all) {
  allow_all_ = allow_all;
  app.add_flag("--system", system, "Act on system-level roles in the Kargo namespace instead of a project.");
  app.add_option("-p,--project", project, "The project (namespace) to act in.");
  app.add_option("--kargo-namespace", kargo_namespace,
                 "The namespace Kargo is installed in (default $KARGO_NAMESPACE or \"kargo\").");
  if (allow_all)
    app.add_flag("-A,--all-namespaces", all_namespaces,
                 "Act on the system namespace and every project namespace.");
}

std::string ScopeFlags::KargoNamespace() const {
  if (!kargo_namespace.empty()) return kargo_namespace;
  const char* env = std::getenv("KARGO_NAMESPACE");
  return env && *env ? env : std::string(kargo::kDefaultKargoNamespace);
}

Result<void> ScopeFlags::Validate() const {
  std::vector<std::string> set;
  if (all_namespaces) set.push_back("all-namespaces");
  if (!project.empty()) set.push_back("project");
  if (system) set.push_back("system");
  if (set.size() > 1) {
    // cobra's MarkFlagsMutuallyExclusive wording, as the kargo CLI prints it.
    std::string group = allow_all_ ? "[all-namespaces project system]" : "[project system]";
    std::string which = "[";
    for (size_t i = 0; i < set.size(); ++i) which += (i ? " " : "") + set[i];
    which += "]";
    return Error::InvalidArgument("if any flags in the group " + group +
                                  " are set none of the others can be; " + which + " were all set");
  }
  return Ok();
}

Result<std::vector<std::string>> ListProjectNamespaces(kube::Client& client) {
  kube::ResourceRef namespaces{"", "v1", "namespaces", "", "", ""};
  kube::ListOptions options;
  options.label_selector = std::string(kargo::kLabelProject) + "=true";
  std::vector<std::string> names;
  KT_RETURN_IF_ERROR(client.ListPages(namespaces, options, [&](json::Json page) -> Result<void> {
    for (const auto& ns : page.value("items", json::Json::array()))
      names.push_back(ns.value("/metadata/name"_json_pointer, ""));
    return Ok();
  }));
  return names;
}

Result<Scope> ScopeFlags::Resolve(Session& session) const {
  Scope scope;
  if (system) {
    scope.system = true;
    scope.namespaces = {KargoNamespace()};
    return scope;
  }
  if (!project.empty()) {
    scope.namespaces = {project};
    return scope;
  }
  if (all_namespaces) {
    scope.all = true;
    scope.namespaces = {KargoNamespace()};
    KT_ASSIGN_OR_RETURN(std::vector<std::string> projects, ListProjectNamespaces(*session.client));
    for (auto& p : projects)
      if (p != scope.namespaces.front()) scope.namespaces.push_back(std::move(p));
    return scope;
  }
  // Default project: the context's namespace, if it is a Kargo project.
  if (session.config.namespace_explicit) {
    kube::ResourceRef ns{"", "v1", "namespaces", "", session.config.namespace_name, ""};
    auto found = session.client->GetOptional(ns);
    if (found.ok() && found->has_value() &&
        (**found).value("/metadata/labels"_json_pointer, json::Json::object())
                .value(std::string(kargo::kLabelProject), "") == "true") {
      scope.namespaces = {session.config.namespace_name};
      return scope;
    }
  }
  return Error::InvalidArgument("either project or system is required");
}

}  // namespace kargo_token::plugin
