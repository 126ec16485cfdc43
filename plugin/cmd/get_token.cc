#include "plugin/cmd/get_token.h"

#include "plugin/cmd/errors.h"
#include "plugin/ops/tokens.h"
#include "shared/kargo/token.h"
#include "shared/kube/api_status.h"
#include "shared/print/age.h"
#include "shared/print/table.h"

namespace kargo_token::plugin {

void GetTokenCommand::Register(CLI::App& app) {
  scope_flags_.Register(app, true);
  app.add_option("--role", role_, "Only tokens of this role.");
  app.add_option("-o,--output", output_, "Output format: json, yaml, name, wide, jsonpath=...");
  app.add_flag("--no-headers", no_headers_, "When using the default output format, don't print headers.");
  app.add_flag("--show-managed-fields", show_managed_fields_,
               "If true, keep the managedFields when printing objects in JSON or YAML format.");
  app.add_option("args", args_, "[token|tokens] [NAME...]");
}

Result<void> GetTokenCommand::Complete() {
  names_ = StripNoun(args_, {"token", "tokens"});
  // Adjacent duplicates are dropped, as the kargo CLI's slices.Compact does.
  names_.erase(std::unique(names_.begin(), names_.end()), names_.end());
  if (!output_.empty()) {
    KT_ASSIGN_OR_RETURN(format_, print::ParseOutputFormat(output_));
  }
  format_.show_managed_fields = show_managed_fields_;
  KT_ASSIGN_OR_RETURN(Session session, Connect(ctx_.kube));
  session_ = std::move(session);
  return Ok();
}

Result<void> GetTokenCommand::Validate() const {
  KT_RETURN_IF_ERROR(scope_flags_.Validate());
  if (scope_flags_.all_namespaces && !names_.empty())
    return Error::InvalidArgument("a resource cannot be retrieved by name across all namespaces");
  return Ok();
}

bool GetTokenCommand::PrintsTable() const {
  return format_.kind == print::OutputKind::kTable || format_.kind == print::OutputKind::kWide;
}

void GetTokenCommand::Listed::Add(json::Json secret) {
  if (rows_only) rows.push_back(kargo::MakeTokenRow(secret));
  else tokens.push_back(kargo::RedactToken(std::move(secret)));
}

Result<void> GetTokenCommand::Run() {
  kube::Client& client = *session_->client;
  KT_ASSIGN_OR_RETURN(Scope scope, scope_flags_.Resolve(*session_));
  // A table needs only its rows, so each Secret is dropped as soon as its row
  // is made: memory stays about one list page, not every token's JSON.
  Listed listed{PrintsTable(), {}, {}};
  std::vector<Error> errors;
  if (!names_.empty()) {
    for (const auto& name : names_) {
      auto token = ops::GetToken(client, scope.ns(), name);
      if (token.ok()) listed.Add(std::move(token).value());
      else errors.push_back(std::move(token).error());
    }
  } else {
    for (const auto& ns : scope.namespaces) {
      if (!role_.empty()) {
        auto role = ops::ResolveRole(client, ns, role_, scope.system || ns == scope_flags_.KargoNamespace());
        if (!role.ok()) {
          if (scope.all && role.error().IsNotFound()) continue;  // the role lives elsewhere
          return std::move(role).error();
        }
      }
      KT_RETURN_IF_ERROR(ops::ListTokens(client, ns, role_, [&](json::Json t) -> Result<void> {
        listed.Add(std::move(t));
        return Ok();
      }));
    }
  }
  bool none = listed.tokens.empty() && listed.rows.empty();
  if (none && errors.empty() && format_.kind != print::OutputKind::kJson &&
      format_.kind != print::OutputKind::kYaml) {
    ctx_.streams.err << (scope.all ? std::string("No resources found")
                                   : "No resources found in " + scope.ns() + " namespace.")
                     << "\n";
  } else if (!none || errors.empty()) {  // like kubectl: only errors, no bare header
    KT_RETURN_IF_ERROR(PrintTokens(scope, listed));
  }
  return ReportAll(ctx_.streams, errors);
}

Result<void> GetTokenCommand::PrintTokens(const Scope& scope, const Listed& listed) const {
  if (!PrintsTable()) {
    const auto& tokens = listed.tokens;
    json::Json obj = names_.size() == 1 && tokens.size() == 1 ? tokens.front() : print::ListOf(tokens);
    KT_ASSIGN_OR_RETURN(std::string text, print::Print(format_, obj));
    ctx_.streams.out << text;
    return Ok();
  }
  bool wide = format_.kind == print::OutputKind::kWide;
  std::vector<std::string> headers = {"NAME", "ROLE", "KARGO MANAGED", "AGE"};
  if (wide) headers.insert(headers.end(), {"LAST USED", "EXPIRES"});
  if (scope.all) headers.insert(headers.begin(), "NAMESPACE");
  print::Table table(headers);
  auto now = std::chrono::system_clock::now();
  for (const auto& row : listed.rows) {
    std::vector<std::string> cells = {row.name, row.role, row.managed ? "true" : "false",
                                      print::Age(row.creation_timestamp, now)};
    if (wide) {
      cells.push_back(row.last_used.empty() ? "<none>" : row.last_used);
      cells.push_back(row.expires_at.empty() ? "<none>" : row.expires_at);
    }
    if (scope.all) cells.insert(cells.begin(), row.namespace_);
    table.AddRow(std::move(cells));
  }
  ctx_.streams.out << table.Render(no_headers_);
  return Ok();
}

}  // namespace kargo_token::plugin
