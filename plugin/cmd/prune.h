// prune --expired (--system | -p P | -A) [--dry-run]: delete the tokens whose
// rbac.kargo.akuity.io/expires-at is past (Kargo's delete rules apply).
// Prints `token.kargo.akuity.io/NAME deleted (expired at TS)` or
// `token.kargo.akuity.io/NAME would be deleted (dry run)`. Meant for a
// CronJob: works with in-cluster configuration.
#ifndef KARGO_TOKEN_PLUGIN_CMD_PRUNE_H_
#define KARGO_TOKEN_PLUGIN_CMD_PRUNE_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "plugin/cmd/command.h"
#include "plugin/cmd/scope_flags.h"

namespace kargo_token::plugin {

class PruneCommand : public Command {
 public:
  using Command::Command;
  void Register(CLI::App& app) override;
  Result<void> Complete() override;
  Result<void> Validate() const override;
  Result<void> Run() override;

 private:
  ScopeFlags scope_flags_;
  std::vector<std::string> args_;
  bool expired_ = false;
  bool dry_run_ = false;
  std::optional<Session> session_;
};

// IsExpired: the token's expires-at is at or before `now`. A malformed
// expires-at is kParse naming the token and the annotation; none is false.
Result<bool> IsExpired(const json::Json& token, std::chrono::system_clock::time_point now);

}  // namespace kargo_token::plugin

#endif  // KARGO_TOKEN_PLUGIN_CMD_PRUNE_H_
