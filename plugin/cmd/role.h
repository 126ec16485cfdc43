// role create|get|delete (noun `role` or `roles`): Kargo role trios —
// ServiceAccount + Role + RoleBinding in a project, ServiceAccount +
// ClusterRole + ClusterRoleBinding at system level (design/kargo.md §1.4).
#ifndef KARGO_TOKEN_PLUGIN_CMD_ROLE_H_
#define KARGO_TOKEN_PLUGIN_CMD_ROLE_H_

#include <optional>
#include <string>
#include <vector>

#include "plugin/cmd/command.h"
#include "plugin/cmd/scope_flags.h"
#include "shared/kargo/role.h"
#include "shared/print/output.h"

namespace kargo_token::plugin {

// role create (--system | -p P) NAME [--rule VERBS:RESOURCES[:APIGROUP]]...
//   [--clusterrole EXISTING] [--claim name=value]... [--description TEXT]
// Prints `role.rbac.kargo.akuity.io/NAME created`; rolls back on failure.
class RoleCreateCommand : public Command {
 public:
  using Command::Command;
  void Register(CLI::App& app) override;
  Result<void> Complete() override;
  Result<void> Validate() const override;
  Result<void> Run() override;

 private:
  ScopeFlags scope_flags_;
  std::vector<std::string> args_, rule_flags_, claim_flags_;
  std::string cluster_role_, description_;
  kargo::RoleSpec spec_;
  std::optional<Session> session_;
};

// role get (--system | -p P) [NAME...] [-o yaml|json|name|jsonpath=...]
// [--no-headers]: table NAME KARGO MANAGED AGE; -o yaml|json prints a List of
// every role's ServiceAccount, Role(s) and binding(s).
class RoleGetCommand : public Command {
 public:
  using Command::Command;
  void Register(CLI::App& app) override;
  Result<void> Complete() override;
  Result<void> Validate() const override;
  Result<void> Run() override;

 private:
  ScopeFlags scope_flags_;
  std::vector<std::string> names_;
  std::string output_;
  bool no_headers_ = false;
  bool show_managed_fields_ = false;
  print::OutputFormat format_;
  std::optional<Session> session_;
};

// role delete (--system | -p P) NAME...: prints
// `role.rbac.kargo.akuity.io/NAME deleted` per role; exit 1 if any failed.
class RoleDeleteCommand : public Command {
 public:
  using Command::Command;
  void Register(CLI::App& app) override;
  Result<void> Complete() override;
  Result<void> Validate() const override;
  Result<void> Run() override;

 private:
  ScopeFlags scope_flags_;
  std::vector<std::string> names_;
  std::optional<Session> session_;
};

}  // namespace kargo_token::plugin

#endif  // KARGO_TOKEN_PLUGIN_CMD_ROLE_H_
