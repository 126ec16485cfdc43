// Startup material of a kube-sim cluster: a throwaway PKI (CA, serving
// certificate for 127.0.0.1/localhost, an admin client certificate in group
// system:masters) and the state directory it is written to, with an admin
// kubeconfig. These keys are test-cluster material, written on purpose.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_STARTUP_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_STARTUP_H_

#include <string>

#include "shared/base/result.h"
#include "tests/testutil/pki.h"

namespace kargo_token::kube_sim {

struct ClusterPki {
  test::CertKey ca;
  test::CertKey serving;
  test::CertKey admin;  // CN kube-sim-admin, O system:masters
};

// MakeClusterPki generates the three key pairs (RSA 2048).
Result<ClusterPki> MakeClusterPki();

// AdminKubeconfig renders a kubeconfig for `server_url` with the CA and the
// admin client certificate embedded as -data fields; context "kube-sim",
// namespace default.
std::string AdminKubeconfig(const ClusterPki& pki, const std::string& server_url);

// WriteStateDir creates `dir` (0700) and writes ca.crt, ca.key,
// apiserver.crt, apiserver.key, admin.crt, admin.key and kubeconfig
// (keys and kubeconfig 0600).
Result<void> WriteStateDir(const std::string& dir, const ClusterPki& pki,
                           const std::string& server_url);

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_STARTUP_H_
