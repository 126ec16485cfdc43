#include "plugin/cmd/delete_token.h"

#include "plugin/cmd/errors.h"
#include "plugin/ops/tokens.h"

namespace kargo_token::plugin {

void DeleteTokenCommand::Register(CLI::App& app) {
  scope_flags_.Register(app, false);
  app.add_option("args", args_, "[token|tokens] NAME...");
}

Result<void> DeleteTokenCommand::Complete() {
  names_ = StripNoun(args_, {"token", "tokens"});
  names_.erase(std::unique(names_.begin(), names_.end()), names_.end());
  KT_ASSIGN_OR_RETURN(Session session, Connect(ctx_.kube));
  session_ = std::move(session);
  return Ok();
}

Result<void> DeleteTokenCommand::Validate() const {
  KT_RETURN_IF_ERROR(scope_flags_.Validate());
  if (names_.empty()) return Error::InvalidArgument("requires at least 1 arg(s), only received 0");
  return Ok();
}

Result<void> DeleteTokenCommand::Run() {
  KT_ASSIGN_OR_RETURN(Scope scope, scope_flags_.Resolve(*session_));
  std::vector<Error> errors;
  for (const auto& name : names_) {
    auto deleted = ops::DeleteToken(*session_->client, scope.ns(), name);
    if (deleted.ok()) ctx_.streams.out << "token.kargo.akuity.io/" << name << " deleted\n";
    else errors.push_back(std::move(deleted).error());
  }
  return ReportAll(ctx_.streams, errors);
}

}  // namespace kargo_token::plugin
