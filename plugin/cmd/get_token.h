// get [token|tokens] (--system | -p P | -A) [--role ROLE] [NAME...]: list
// tokens, always redacted, as a kubectl-style table or -o json|yaml|name|jsonpath.
#ifndef KARGO_TOKEN_PLUGIN_CMD_GET_TOKEN_H_
#define KARGO_TOKEN_PLUGIN_CMD_GET_TOKEN_H_

#include <optional>
#include <string>
#include <vector>

#include "plugin/cmd/command.h"
#include "plugin/cmd/scope_flags.h"
#include "shared/kargo/token.h"
#include "shared/print/output.h"

namespace kargo_token::plugin {

class GetTokenCommand : public Command {
 public:
  using Command::Command;
  void Register(CLI::App& app) override;
  Result<void> Complete() override;
  Result<void> Validate() const override;
  Result<void> Run() override;

 private:
  // Listed: the tokens found, as table rows or (other formats) redacted Secrets.
  struct Listed {
    bool rows_only;
    std::vector<json::Json> tokens;
    std::vector<kargo::TokenRow> rows;
    void Add(json::Json secret);
  };
  bool PrintsTable() const;
  Result<void> PrintTokens(const Scope& scope, const Listed& listed) const;

  ScopeFlags scope_flags_;
  std::string role_;
  std::vector<std::string> args_;
  std::string output_;
  bool no_headers_ = false;
  bool show_managed_fields_ = false;
  std::vector<std::string> names_;
  print::OutputFormat format_;
  std::optional<Session> session_;
};

}  // namespace kargo_token::plugin

#endif  // KARGO_TOKEN_PLUGIN_CMD_GET_TOKEN_H_
