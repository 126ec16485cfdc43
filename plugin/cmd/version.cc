#include "plugin/cmd/version.h"

#include "plugin/version.h"
#include "shared/kube/api_status.h"

namespace kargo_token::plugin {

void VersionCommand::Register(CLI::App& app) {
  app.add_flag("--client", client_only_, "If true, shows client version only (no server required).");
}

Result<void> VersionCommand::Run() {
  ctx_.streams.out << "Client Version: v" << KT_VERSION << " (" << KT_GIT_DESCRIBE << ")\n";
  if (client_only_) return Ok();
  KT_ASSIGN_OR_RETURN(Session session, Connect(ctx_.kube));
  kube::HttpRequest request;
  request.path = "/version";
  request.headers = {{"Accept", "application/json"}};
  KT_ASSIGN_OR_RETURN(kube::HttpResponse response, session.client->Do(request, kube::RequestContext{}));
  KT_ASSIGN_OR_RETURN(json::Json info, json::ParseJson(response.body));
  ctx_.streams.out << "Server Version: " << info.value("gitVersion", "unknown") << "\n";
  return Ok();
}

}  // namespace kargo_token::plugin
