// Run-time fixes a fully static binary needs to behave like a dynamic one on
// any Linux distribution. Linked only into KT_STATIC builds (see
// shared/static_link.cmake), before main() through a constructor.
//
// Host names: static glibc 2.36 has the "files" and "dns" NSS modules built
// in, but it still dlopen()s every other module /etc/nsswitch.conf names
// (mdns4_minimal, resolve, myhostname, ...). Those are shared objects built
// for the host's own glibc, so loading them into a static process can fail or
// crash. Pinning the hosts database to "files dns" makes getaddrinfo read
// /etc/hosts and /etc/resolv.conf only, with no dlopen.
//
// System roots: the statically linked OpenSSL looks for its default CA bundle
// where Debian keeps it (/usr/lib/ssl/cert.pem and certs/). Where that is
// missing and the user set neither SSL_CERT_FILE nor SSL_CERT_DIR, point
// SSL_CERT_FILE at the first CA bundle found in the other distributions'
// usual places, as Go's crypto/x509 does.
#include <nss.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <array>
#include <cstdlib>

extern "C" {
// Referenced by a --undefined link option so the linker takes this object out
// of its archive although nothing calls into it.
extern const char kt_static_runtime_anchor[];
const char kt_static_runtime_anchor[] = "kt-static-runtime";
}

namespace {

bool Readable(const char* path) { return path != nullptr && access(path, R_OK) == 0; }

void UseBuiltinHostResolution() { __nss_configure_lookup("hosts", "files dns"); }

void FindSystemRootCertificates() {
  if (std::getenv(X509_get_default_cert_file_env()) != nullptr ||
      std::getenv(X509_get_default_cert_dir_env()) != nullptr) {
    return;
  }
  if (Readable(X509_get_default_cert_file())) return;
  constexpr std::array kBundles = {
      "/etc/ssl/certs/ca-certificates.crt",                 // Debian, Ubuntu, Gentoo, Arch
      "/etc/pki/tls/certs/ca-bundle.crt",                   // Fedora, RHEL 6
      "/etc/ssl/ca-bundle.pem",                             // openSUSE
      "/etc/pki/tls/cacert.pem",                            // OpenELEC
      "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // CentOS, RHEL 7+
      "/etc/ssl/cert.pem",                                  // Alpine
  };
  for (const char* bundle : kBundles) {
    if (Readable(bundle)) {
      setenv(X509_get_default_cert_file_env(), bundle, 0);
      return;
    }
  }
}

[[gnu::constructor]] void PrepareStaticRuntime() {
  UseBuiltinHostResolution();
  FindSystemRootCertificates();
}

}  // namespace
