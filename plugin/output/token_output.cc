#include "plugin/output/token_output.h"

#include "plugin/output/kubeconfig_output.h"
#include "shared/print/output.h"

namespace kargo_token::plugin::output {

Result<void> CheckNewTokenFormat(const std::string& format) {
  if (format.empty() || format == "yaml" || format == "json" || format == "name" ||
      format == "kubeconfig")
    return Ok();
  return Error::InvalidArgument("unable to match a printer suitable for the output format \"" +
                                format + "\", allowed formats are: json,kubeconfig,name,yaml");
}

void PrintNewToken(std::ostream& out, const std::string& format,
                   const kubeconfig::ClientConfig& config, const NewToken& token) {
  if (format == "name") {
    out << token.resource_name << " created\n";
  } else if (format == "json" || format == "yaml") {
    // The rendered text holds the token: a SecretString wipes it once written.
    json::Json shown = print::WithoutManagedFields(token.object);
    SecretString text(format == "json" ? print::FormatJson(shown) : print::FormatYaml(shown));
    out << text.Reveal();
  } else if (format == "kubeconfig") {
    SecretString text(TokenKubeconfig(config, token.ns, token.name, token.value));
    out << text.Reveal();
  } else {
    out << "Token created successfully!\n\n"
        << "IMPORTANT: Save this token securely. It will not be shown again.\n\n"
        << "Token: " << token.value.Reveal() << "\n";
  }
  out.flush();
}

}  // namespace kargo_token::plugin::output
