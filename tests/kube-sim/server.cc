#include "tests/kube-sim/server.h"

#include <cctype>
#include <optional>

#include <httplib.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "tests/kube-sim/auth/request_auth.h"
#include "tests/kube-sim/discovery.h"
#include "tests/kube-sim/handlers_request.h"
#include "tests/kube-sim/status.h"

namespace kargo_token::kube_sim {
namespace {

// Responses above this size skip httplib's gzip (it only compresses the exact
// type "application/json"): compressing megabytes costs more than it saves on
// loopback.
constexpr size_t kCompressLimit = 64 * 1024;
// httplib's own hard limit; between kMaxRequestBodyBytes and this we answer
// upstream's 413 Status ourselves.
constexpr size_t kHttplibPayloadLimit = 16 * 1024 * 1024;

template <class T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using PKeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

X509Ptr ReadCert(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

PKeyPtr ReadKey(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return PKeyPtr(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

bool SetupTls(SSL_CTX& ctx, const ClusterPki& pki) {
  X509Ptr cert = ReadCert(pki.serving.cert_pem), ca = ReadCert(pki.ca.cert_pem);
  PKeyPtr key = ReadKey(pki.serving.key_pem);
  if (!cert || !ca || !key) return false;
  if (SSL_CTX_use_certificate(&ctx, cert.get()) != 1 || SSL_CTX_use_PrivateKey(&ctx, key.get()) != 1)
    return false;
  SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
  X509_STORE* store = SSL_CTX_get_cert_store(&ctx);
  if (X509_STORE_add_cert(store, ca.get()) != 1) return false;
  SSL_CTX_add_client_CA(&ctx, ca.get());
  // Request a client certificate, verify it if given, never require one.
  SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
  return true;
}

std::vector<std::string> NameEntries(X509_NAME* name, int nid) {
  std::vector<std::string> out;
  for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(name, nid, i)) {
    ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    unsigned char* utf8 = nullptr;
    int n = ASN1_STRING_to_UTF8(&utf8, data);
    if (n >= 0) out.emplace_back(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
    OPENSSL_free(utf8);
  }
  return out;
}

// CertUser: the verified client certificate's CN (user) and O (groups).
std::optional<UserInfo> CertUser(const httplib::Request& req) {
  SSL* ssl = const_cast<SSL*>(req.ssl);
  X509Ptr cert(ssl ? SSL_get1_peer_certificate(ssl) : nullptr);
  if (!cert || SSL_get_verify_result(ssl) != X509_V_OK) return std::nullopt;
  X509_NAME* subject = X509_get_subject_name(cert.get());
  auto cn = NameEntries(subject, NID_commonName);
  if (cn.empty()) return std::nullopt;
  return UserInfo{cn[0], "", NameEntries(subject, NID_organizationName), {}};
}

// Minor: 32 for "1.32"; 0 when unparsable.
int Minor(const std::string& version) {
  size_t dot = version.find('.');
  int minor = 0;
  for (size_t i = dot == std::string::npos ? version.size() : dot + 1; i < version.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(version[i]))) break;
    minor = minor * 10 + (version[i] - '0');
  }
  return minor;
}

void WriteJson(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, body.size() > kCompressLimit ? "application/json;charset=utf-8"
                                                    : "application/json");
}

void WriteError(httplib::Response& res, const Error& e) {
  WriteJson(res, StatusCode(e), Dump(StatusJson(e)));
}

void WriteWatch(httplib::Response& res, std::shared_ptr<WatchStream> stream) {
  res.status = 200;
  res.set_header("Cache-Control", "no-cache, private");
  res.set_chunked_content_provider(
      "application/json;charset=utf-8",
      [stream](size_t, httplib::DataSink& sink) {
        std::string chunk;
        while (stream->Next(&chunk)) {
          if (!sink.is_writable()) return false;
          if (!chunk.empty()) return sink.write(chunk.data(), chunk.size());
        }
        sink.done();
        return true;
      });
}

bool IsHealthPath(const std::string& p) {
  return p == "/healthz" || p == "/livez" || p == "/readyz";
}

}  // namespace

Server::Server(ServerOptions options)
    : options_(std::move(options)),
      store_(options_.history_limit),
      handlers_(store_, options_.handlers) {}

Server::~Server() { Stop(); }

std::string Server::url() const { return "https://" + options_.host + ":" + std::to_string(port_); }

Result<void> Server::Start() {
  KT_ASSIGN_OR_RETURN(pki_, MakeClusterPki());
  http_ = std::make_unique<httplib::SSLServer>([this](SSL_CTX& ctx) { return SetupTls(ctx, pki_); });
  if (!http_->is_valid()) return Error::Internal("kube-sim: cannot set up TLS");
  size_t threads = options_.threads;
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_->set_tcp_nodelay(true);
  http_->set_keep_alive_max_count(1000);
  http_->set_keep_alive_timeout(30);
  http_->set_payload_max_length(kHttplibPayloadLimit);
  auto route = [this](const httplib::Request& req, httplib::Response& res) { Route(req, res); };
  for (const char* pattern : {".*"}) {
    http_->Get(pattern, route);
    http_->Post(pattern, route);
    http_->Put(pattern, route);
    http_->Patch(pattern, route);
    http_->Delete(pattern, route);
  }
  http_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    WriteError(res, InternalError("kube-sim: unexpected exception"));
  });
  port_ = options_.port == 0 ? http_->bind_to_any_port(options_.host)
                             : (http_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port_ <= 0)
    return Error::Unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port));
  if (!options_.state_dir.empty()) KT_RETURN_IF_ERROR(WriteStateDir(options_.state_dir, pki_, url()));
  handlers_.Bootstrap();
  KT_RETURN_IF_ERROR(BootstrapRbac());
  KT_RETURN_IF_ERROR(Seed());
  KT_ASSIGN_OR_RETURN(TokenSigner signer, TokenSigner::Create());
  signer_ = std::make_unique<TokenSigner>(std::move(signer));
  writer_ = std::make_unique<StoreWriter>(store_);
  authenticator_ = std::make_unique<Authenticator>(store_, *writer_, *signer_);
  rbac_ = std::make_unique<StoreRbacSource>(store_);
  reviews_ = std::make_unique<Reviews>(store_, *authenticator_, *rbac_, Minor(options_.kubernetes_version));
  tokens_writer_ = std::make_unique<ApiWriter>(ApiWriter::ForTokensController(handlers_));
  gc_writer_ = std::make_unique<ApiWriter>(ApiWriter::ForGarbageCollector(handlers_));
  tokens_controller_ = std::make_unique<TokensController>(
      store_, *tokens_writer_, *signer_, TokensControllerOptions{options_.token_controller_delay, pki_.ca.cert_pem});
  tokens_controller_->SetPaused(options_.handlers.token_controller_paused);
  garbage_collector_ = std::make_unique<GarbageCollector>(store_, *gc_writer_);
  tokens_controller_->Start();
  garbage_collector_->Start();
  listen_thread_ = std::thread([this] { http_->listen_after_bind(); });
  controller_thread_ = std::thread([this] { RunNamespaceController(); });
  // The socket already listens (bind_to_port); wait for the accept loop too.
  for (int i = 0; i < 2000 && !http_->is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return Ok();
}

void Server::Stop() {
  if (stopping_.exchange(true)) return;
  store_.Shutdown();
  if (http_) http_->stop();
  if (listen_thread_.joinable()) listen_thread_.join();
  if (controller_thread_.joinable()) controller_thread_.join();
  if (tokens_controller_) tokens_controller_->Stop();
  if (garbage_collector_) garbage_collector_->Stop();
}

Reply Server::AdminCreate(const ResourceType& rt, const json::Json& doc, const std::string& user_agent) {
  ApiRequest api;
  api.method = "POST";
  api.rt = &rt;
  api.path = {rt.group, rt.version, rt.namespaced ? doc.value("/metadata/namespace"_json_pointer, "default") : "",
              rt.plural, "", ""};
  api.verb = "create";
  api.content_type = "application/json";
  api.user_agent = user_agent;
  api.body = doc.dump();
  api.identity = {"kube-sim-admin", "", {"system:masters", "system:authenticated"}, {}};
  api.internal = true;
  return handlers_.Handle(api);
}

Result<void> Server::BootstrapRbac() {
  for (const auto& doc : BootstrapRbacObjects()) {
    const ResourceType* rt = FindResourceTypeByKind(doc.value("apiVersion", ""), doc.value("kind", ""));
    if (!rt) return Error::Internal("kube-sim: bootstrap RBAC object of unknown kind " + doc.value("kind", ""));
    Reply reply = AdminCreate(*rt, doc, "kube-apiserver/v" + options_.kubernetes_version + ".0");
    if (reply.status >= 300 && reply.status != 409)
      return Error::Internal("kube-sim: storing bootstrap " + rt->kind + " \"" +
                             doc.value("/metadata/name"_json_pointer, "") + "\": " +
                             reply.body.value("message", "failed"));
  }
  return Ok();
}

Result<void> Server::Seed() {
  if (options_.seed_yaml.empty()) return Ok();
  KT_ASSIGN_OR_RETURN(std::vector<json::Json> docs, json::ParseYamlDocuments(options_.seed_yaml));
  for (const auto& doc : docs) {
    const ResourceType* rt = FindResourceTypeByKind(doc.value("apiVersion", ""), doc.value("kind", ""));
    if (!rt || rt->is_virtual)
      return Error::InvalidArgument("--seed: unsupported object " + doc.value("apiVersion", "") + "/" +
                                    doc.value("kind", ""));
    Reply reply = AdminCreate(*rt, doc, "kube-sim-seed");
    if (reply.status >= 300)
      return Error::InvalidArgument("--seed: creating " + rt->kind + " \"" +
                                    doc.value("/metadata/name"_json_pointer, "") +
                                    "\": " + reply.body.value("message", "failed"));
  }
  return Ok();
}

void Server::RunNamespaceController() {
  while (!stopping_.load()) {
    handlers_.FinalizeNamespaces();
    store_.WaitForChange(store_.CurrentRv(), std::chrono::milliseconds(200));
  }
}

Result<UserInfo> Server::Authorized(const httplib::Request& req) {
  HeaderList headers(req.headers.begin(), req.headers.end());
  Credentials credentials{BearerToken(headers), CertUser(req)};
  Result<UserInfo> user = authenticator_->Authenticate(credentials);
  // The reason stays unlogged and unsent: upstream answers just "Unauthorized".
  if (!user.ok()) return UnauthorizedStatus();
  KT_ASSIGN_OR_RETURN(UserInfo effective, Impersonate(*user, headers, *rbac_));
  bool watch = ParseBool(req.get_param_value("watch")).value_or(false);
  RequestAttributes attrs =
      RequestAttributesFor(req.method, req.path, req.get_param_value("fieldSelector"), watch);
  AuthorizationDecision decision = Authorize(effective, attrs, *rbac_);
  if (!decision.allowed) return ForbiddenStatus(effective, attrs, decision.reason);
  return effective;
}

void Server::Route(const httplib::Request& req, httplib::Response& res) {
  Result<UserInfo> user = Authorized(req);
  if (!user.ok()) return WriteError(res, user.error());
  if (req.body.size() > kMaxRequestBodyBytes) return WriteError(res, RequestTooLargeError(kMaxRequestBodyBytes));
  std::string accept = req.get_header_value("Accept");
  if (req.method == "GET" && IsHealthPath(req.path)) return res.set_content("ok", "text/plain; charset=utf-8");
  std::optional<ResourcePath> path = ParseResourcePath(req.path);
  if (!path) {
    if (req.method == "GET") {
      ServerInfo info{options_.kubernetes_version, options_.host + ":" + std::to_string(port_)};
      std::optional<HttpReply> d = ServeDiscovery(req.path, accept, info);
      if (d) {
        res.status = d->status;
        return res.set_content(d->body, d->content_type);
      }
    }
    return WriteError(res, UnknownPathError());
  }
  ApiRequest api;
  api.method = req.method;
  api.path = *path;
  api.rt = FindResourceType(path->group, path->resource);
  if (api.rt && api.rt->version != path->version) api.rt = nullptr;
  for (const auto& [k, v] : req.params) api.query.emplace(k, v);
  std::string watch = api.Param("watch");
  api.verb = VerbFor(req.method, api.path, ParseBool(watch).value_or(false));
  api.accept = accept;
  api.content_type = req.get_header_value("Content-Type");
  api.user_agent = req.get_header_value("User-Agent");
  api.body = req.body;
  api.identity = std::move(user).value();
  Reply reply = reviews_->Handles(api.method, api.path)
                    ? handlers_.Handle(api, [&] { return reviews_->Handle(api); })
                    : handlers_.Handle(api);
  for (const auto& w : reply.warnings) {
    std::string escaped;
    for (char c : w) escaped += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    res.set_header("Warning", "299 - \"" + escaped + "\"");
  }
  if (reply.abort_connection) {
    // httplib always sends the status line first; announcing a body and then
    // closing the socket before it makes the client see a cut connection
    // (a short read), never a complete empty 200.
    res.status = 500;
    return res.set_content_provider(1, "application/json",
                                    [](size_t, size_t, httplib::DataSink&) { return false; });
  }
  if (reply.watch) return WriteWatch(res, reply.watch);
  WriteJson(res, reply.status, reply.raw_body.empty() ? Dump(reply.body) : reply.raw_body);
}

}  // namespace kargo_token::kube_sim
