// Fuzz target: kubeconfig loading as the plugin does it — ParseConfig (YAML
// or JSON) of up to three files, MergeConfig in KUBECONFIG order,
// ResolveLocalPaths, then BuildClientConfig (selection, validation, reading
// the referenced CA/cert/key/token files, credentials).
//
// Input: the files' texts separated by form feeds ('\f'). Each file "lives"
// in its own folder of a private temp dir that holds a real CA, a client
// certificate and key, and a token file; every path a kubeconfig names is
// confined to that temp dir, so the target reads nothing else. Nothing is
// ever executed (exec plugins only run when a request needs credentials).
//
// Properties: nothing crashes or throws; every error is non-empty and never
// contains a token or password value from the files (checked against the
// same config with those values replaced by markers); a built config has an
// http(s) server URL.
#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "shared/kubeconfig/fast_test_pki.h"
#include "shared/kubeconfig/kubeconfig_file.h"
#include "shared/kubeconfig/kubeconfig_loader.h"
#include "shared/kubeconfig/loading_rules.h"
#include "tests/fuzz/fuzz_check.h"

namespace kargo_token {
namespace {

// The private temp dir, made once per process and removed at exit.
struct Sandbox {
  std::string root;
  Sandbox() {
    std::string templ =
        (std::filesystem::temp_directory_path() / "kt-fuzz-kubeconfig-XXXXXX").string();
    FUZZ_CHECK(mkdtemp(templ.data()) != nullptr);
    root = templ;
    auto pki = kubeconfig::testing::FastPki::Make("fuzz-ca");
    Write("certs/ca.crt", pki.ca.cert_pem);
    Write("alice.crt", pki.client.cert_pem);
    Write("alice.key", pki.client.key_pem);
    Write("token.txt", "file-token\n");
    for (const char* dir : {"kc0", "kc1", "kc2"})
      std::filesystem::create_directories(root + "/" + dir);
  }
  ~Sandbox() {
    std::error_code ignored;
    std::filesystem::remove_all(root, ignored);
  }
  void Write(const std::string& relative, const std::string& content) {
    std::filesystem::path path = root + "/" + relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << content;
  }
  // Confine keeps a path inside the sandbox (paths are already absolute
  // after ResolveLocalPaths; bare exec command names stay as they are).
  void Confine(std::string& path) const {
    if (!path.empty() && path.rfind(root + "/", 0) != 0) path = root + "/outside/" + path;
  }
};

const Sandbox& TheSandbox() {
  static const Sandbox sandbox;
  return sandbox;
}

std::vector<std::string_view> Files(std::string_view input) {
  std::vector<std::string_view> files;
  for (size_t start = 0; start <= input.size() && files.size() < 3;) {
    size_t end = std::min(input.find('\f', start), input.size());
    files.push_back(input.substr(start, end - start));
    start = end + 1;
  }
  return files;
}

// AppearsOnce: `value` is long enough to be a secret and occurs in the input
// only where it was given as a secret, so any other use of it is a leak.
bool AppearsOnce(std::string_view input, const std::string& value) {
  if (value.size() < 8) return false;
  size_t first = input.find(value);
  return first != std::string_view::npos && input.find(value, first + 1) == std::string_view::npos;
}

}  // namespace
}  // namespace kargo_token

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kargo_token;
  const Sandbox& sandbox = TheSandbox();
  std::string_view input(reinterpret_cast<const char*>(data), size);

  kubeconfig::Config merged;
  std::vector<std::string> secrets;
  int index = 0;
  for (std::string_view text : Files(input)) {
    std::string origin = sandbox.root + "/kc" + std::to_string(index++) + "/config";
    auto config = kubeconfig::ParseConfig(text, origin);
    if (!config.ok()) {
      FUZZ_CHECK(!config.error().message().empty());
      return 0;
    }
    for (const auto& [name, user] : config->auth_infos) {
      for (const SecretString* secret : {&user.token, &user.password})
        if (AppearsOnce(input, secret->Reveal())) secrets.push_back(secret->Reveal());
    }
    kubeconfig::MergeConfig(merged, *config);
  }
  kubeconfig::ResolveLocalPaths(merged);
  for (auto& [name, cluster] : merged.clusters) sandbox.Confine(cluster.certificate_authority);
  for (auto& [name, user] : merged.auth_infos) {
    sandbox.Confine(user.client_certificate);
    sandbox.Confine(user.client_key);
    sandbox.Confine(user.token_file);
  }

  kubeconfig::LoaderOverrides overrides;
  overrides.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  overrides.service_account_dir = sandbox.root + "/no-service-account";
  overrides.stdin_is_terminal = false;
  auto client_config = kubeconfig::BuildClientConfig(merged, overrides);
  if (!client_config.ok()) {
    const std::string& message = client_config.error().message();
    FUZZ_CHECK(!message.empty());
    if (secrets.empty()) return 0;
    // A secret leaks if the message holds it but not when the same config's
    // tokens and passwords are replaced by markers (so text the product
    // always prints, e.g. "...SERVICE_PORT must be defined", is no leak),
    // and a marker must never appear either.
    kubeconfig::Config marked = merged;
    int n = 0;
    for (auto& [name, user] : marked.auth_infos) {
      for (SecretString* secret : {&user.token, &user.password})
        if (!secret->Reveal().empty())
          *secret = SecretString("kt-fuzz-secret-" + std::to_string(n++) + "-marker");
    }
    auto again = kubeconfig::BuildClientConfig(marked, overrides);
    std::string marked_message = again.ok() ? "" : again.error().message();
    // (Unless the input itself holds the marker's text, as in a name.)
    FUZZ_CHECK(marked_message.find("kt-fuzz-secret-") == std::string::npos ||
               input.find("kt-fuzz-secret-") != std::string_view::npos);
    for (const std::string& secret : secrets)
      FUZZ_CHECK(message.find(secret) == std::string::npos ||
                 marked_message.find(secret) != std::string::npos);
    return 0;
  }
  FUZZ_CHECK(client_config->server.rfind("https://", 0) == 0 ||
             client_config->server.rfind("http://", 0) == 0);
  return 0;
}
