#include "plugin/cmd/role.h"

#include <chrono>

#include "plugin/cmd/errors.h"
#include "plugin/ops/roles.h"
#include "shared/kargo/meta.h"
#include "shared/kargo/names.h"
#include "shared/print/age.h"
#include "shared/print/table.h"

namespace kargo_token::plugin {
namespace {

constexpr char kRoleResource[] = "role.rbac.kargo.akuity.io/";

std::vector<std::string> Compact(std::vector<std::string> names) {
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace

void RoleCreateCommand::Register(CLI::App& app) {
  scope_flags_.Register(app, false);
  app.add_option(
      "--rule", rule_flags_,
      "A permission as VERBS:RESOURCES[:APIGROUP] (comma-separated lists), e.g. get,list:stages:"
      "kargo.akuity.io; repeatable.");
  app.add_option("--clusterrole", cluster_role_,
                 "Bind this existing ClusterRole instead of creating rules.");
  app.add_option("--claim", claim_flags_,
                 "An OIDC claim mapped to the role, as name=value; repeatable.");
  app.add_option("--description", description_, "A description of the role.");
  app.add_option("args", args_, "NAME");
}

Result<void> RoleCreateCommand::Complete() {
  if (args_.size() != 1)
    return Error::InvalidArgument("accepts 1 arg(s), received " + std::to_string(args_.size()));
  spec_.name = args_[0];
  spec_.cluster_role = cluster_role_;
  spec_.description = description_;
  for (const auto& flag : rule_flags_) {
    KT_ASSIGN_OR_RETURN(kargo::PolicyRule rule, kargo::ParseRuleFlag(flag));
    spec_.rules.push_back(std::move(rule));
  }
  KT_ASSIGN_OR_RETURN(spec_.claims, kargo::ParseClaimFlags(claim_flags_));
  KT_ASSIGN_OR_RETURN(Session session, Connect(ctx_.kube));
  session_ = std::move(session);
  return Ok();
}

Result<void> RoleCreateCommand::Validate() const {
  KT_RETURN_IF_ERROR(scope_flags_.Validate());
  if (!rule_flags_.empty() && !cluster_role_.empty())
    return Error::InvalidArgument(
        "if any flags in the group [clusterrole rule] are set none of the others can be; "
        "[clusterrole rule] were "
        "all set");
  KT_RETURN_IF_ERROR(
      kargo::ValidateName("ServiceAccount", spec_.name, kargo::NameRule::kDns1123Label));
  return Ok();
}

Result<void> RoleCreateCommand::Run() {
  kube::Client& client = *session_->client;
  KT_ASSIGN_OR_RETURN(Scope scope, scope_flags_.Resolve(*session_));
  spec_.system = scope.system;
  spec_.ns = scope.ns();
  if (!spec_.cluster_role.empty()) {
    KT_RETURN_IF_ERROR(client.Get(ops::RbacRef("clusterroles", "", spec_.cluster_role)));
  }
  std::vector<std::string> leftovers;
  Result<void> created =
      ops::CreateRoleTrio(client, kargo::BuildRoleTrio(spec_), &ctx_.cancel, &leftovers);
  for (const auto& line : leftovers) ctx_.streams.err << "warning: " << line << "\n";
  KT_RETURN_IF_ERROR(created);
  ctx_.streams.out << kRoleResource << spec_.name << " created\n";
  return Ok();
}

void RoleGetCommand::Register(CLI::App& app) {
  scope_flags_.Register(app, false);
  app.add_option("-o,--output", output_, "Output format: json, yaml, name, jsonpath=...");
  app.add_flag("--no-headers", no_headers_,
               "When using the default output format, don't print headers.");
  app.add_flag("--show-managed-fields", show_managed_fields_,
               "If true, keep the managedFields when printing objects in JSON or YAML format.");
  app.add_option("args", names_, "[NAME...]");
}

Result<void> RoleGetCommand::Complete() {
  names_ = Compact(names_);
  if (!output_.empty() && output_ != "name") {
    KT_ASSIGN_OR_RETURN(format_, print::ParseOutputFormat(output_));
  }
  format_.show_managed_fields = show_managed_fields_;
  KT_ASSIGN_OR_RETURN(Session session, Connect(ctx_.kube));
  session_ = std::move(session);
  return Ok();
}

Result<void> RoleGetCommand::Validate() const { return scope_flags_.Validate(); }

Result<void> RoleGetCommand::Run() {
  kube::Client& client = *session_->client;
  KT_ASSIGN_OR_RETURN(Scope scope, scope_flags_.Resolve(*session_));
  std::vector<ops::RoleResources> roles;
  std::vector<Error> errors;
  if (names_.empty()) {
    KT_ASSIGN_OR_RETURN(roles, ops::ListRoles(client, scope.ns(), scope.system));
  } else {
    for (const auto& name : names_) {
      auto role = ops::GetRole(client, scope.ns(), name, scope.system);
      if (role.ok())
        roles.push_back(std::move(role).value());
      else
        errors.push_back(std::move(role).error());
    }
  }
  bool structured = output_ != "name" && format_.kind != print::OutputKind::kTable &&
                    format_.kind != print::OutputKind::kWide;
  if (roles.empty() && errors.empty() && format_.kind != print::OutputKind::kJson &&
      format_.kind != print::OutputKind::kYaml) {
    ctx_.streams.err << "No resources found in " << scope.ns() << " namespace.\n";
  } else if (output_ == "name") {
    for (const auto& r : roles)
      ctx_.streams.out << kRoleResource << kargo::Name(r.service_account) << "\n";
  } else if (structured) {
    std::vector<json::Json> objects;
    for (const auto& r : roles)
      for (auto& o : r.Objects()) objects.push_back(std::move(o));
    KT_ASSIGN_OR_RETURN(std::string text, print::Print(format_, print::ListOf(std::move(objects))));
    ctx_.streams.out << text;
  } else if (!roles.empty()) {
    print::Table table({"NAME", "KARGO MANAGED", "AGE"});
    auto now = std::chrono::system_clock::now();
    for (const auto& r : roles) {
      const json::Json& meta = r.service_account.value("metadata", json::Json::object());
      table.AddRow({kargo::Name(r.service_account), r.KargoManaged() ? "true" : "false",
                    print::Age(kargo::StringField(meta, "creationTimestamp"), now)});
    }
    ctx_.streams.out << table.Render(no_headers_);
  }
  return ReportAll(ctx_.streams, errors);
}

void RoleDeleteCommand::Register(CLI::App& app) {
  scope_flags_.Register(app, false);
  app.add_option("args", names_, "NAME...");
}

Result<void> RoleDeleteCommand::Complete() {
  names_ = Compact(names_);
  KT_ASSIGN_OR_RETURN(Session session, Connect(ctx_.kube));
  session_ = std::move(session);
  return Ok();
}

Result<void> RoleDeleteCommand::Validate() const {
  KT_RETURN_IF_ERROR(scope_flags_.Validate());
  if (names_.empty()) return Error::InvalidArgument("requires at least 1 arg(s), only received 0");
  return Ok();
}

Result<void> RoleDeleteCommand::Run() {
  KT_ASSIGN_OR_RETURN(Scope scope, scope_flags_.Resolve(*session_));
  std::vector<Error> errors;
  for (const auto& name : names_) {
    auto deleted = ops::DeleteRole(*session_->client, scope.ns(), name, scope.system);
    if (deleted.ok())
      ctx_.streams.out << kRoleResource << name << " deleted\n";
    else
      errors.push_back(std::move(deleted).error());
  }
  return ReportAll(ctx_.streams, errors);
}

}  // namespace kargo_token::plugin
