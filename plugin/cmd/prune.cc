#include "plugin/cmd/prune.h"

#include <algorithm>
#include <cctype>

#include "plugin/cmd/errors.h"
#include "plugin/ops/tokens.h"
#include "shared/kargo/labels.h"
#include "shared/kargo/meta.h"
#include "shared/kargo/token.h"
#include "shared/print/age.h"

namespace kargo_token::plugin {

Result<bool> IsExpired(const json::Json& token, std::chrono::system_clock::time_point now) {
  std::optional<std::string> at = kargo::TokenExpiresAt(token);
  if (!at) return false;
  // Years past 2200 are beyond system_clock's nanosecond range: never expired.
  if (at->size() >= 4 && std::all_of(at->begin(), at->begin() + 4, ::isdigit) &&
      std::stoi(at->substr(0, 4)) > 2200)
    return false;
  auto when = print::ParseRfc3339(*at);
  if (!when.ok())
    return Error::Parse("token \"" + kargo::Name(token) + "\" in namespace \"" +
                        kargo::Namespace(token) + "\": annotation " +
                        std::string(kargo::kAnnotationExpiresAt) + " is not an RFC 3339 time: \"" +
                        *at + "\"");
  return *when <= now;
}

void PruneCommand::Register(CLI::App& app) {
  scope_flags_.Register(app, true);
  app.add_flag("--expired", expired_,
               "Delete tokens whose expiry (rbac.kargo.akuity.io/expires-at) has passed.");
  app.add_flag("--dry-run", dry_run_, "Only print what would be deleted.");
  app.add_option("args", args_, "");
}

Result<void> PruneCommand::Complete() {
  KT_ASSIGN_OR_RETURN(Session session, Connect(ctx_.kube));
  session_ = std::move(session);
  return Ok();
}

Result<void> PruneCommand::Validate() const {
  if (!args_.empty())
    return Error::InvalidArgument("unknown command \"" + args_.front() + "\" for \"prune\"");
  if (!expired_) return Error::InvalidArgument("required flag(s) \"expired\" not set");
  return scope_flags_.Validate();
}

Result<void> PruneCommand::Run() {
  kube::Client& client = *session_->client;
  KT_ASSIGN_OR_RETURN(Scope scope, scope_flags_.Resolve(*session_));
  auto now = std::chrono::system_clock::now();
  std::vector<Error> errors;
  size_t expired = 0;
  for (const auto& ns : scope.namespaces) {
    std::vector<json::Json> due;
    KT_RETURN_IF_ERROR(ops::ListTokens(client, ns, "", [&](json::Json t) -> Result<void> {
      auto is = IsExpired(t, now);
      if (!is.ok())
        errors.push_back(std::move(is).error());
      else if (*is)
        due.push_back(std::move(t));
      return Ok();
    }));
    for (const auto& t : due) {
      ++expired;
      const std::string name = kargo::Name(t);
      if (dry_run_) {
        ctx_.streams.out << "token.kargo.akuity.io/" << name << " would be deleted (dry run)\n";
        continue;
      }
      auto deleted = ops::DeleteToken(client, ns, name);
      if (deleted.ok())
        ctx_.streams.out << "token.kargo.akuity.io/" << name << " deleted (expired at "
                         << kargo::TokenExpiresAt(t).value_or("") << ")\n";
      else
        errors.push_back(std::move(deleted).error());
    }
  }
  if (expired == 0 && errors.empty())
    ctx_.streams.err << (scope.all ? std::string("No expired tokens found.")
                                   : "No expired tokens found in " + scope.ns() + " namespace.")
                     << "\n";
  return ReportAll(ctx_.streams, errors);
}

}  // namespace kargo_token::plugin
