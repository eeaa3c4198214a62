// TLS on the PostgreSQL protocol listener ([pgwire] ssl_cert_file / ssl_key_file /
// ssl_required) driven by libpq over real loopback sockets: the test makes a self-signed
// certificate for "localhost" (and a second, unrelated one) with OpenSSL, starts the
// listener in-process with it, and connects with sslmode=require, verify-full against the
// right and the wrong root, and disable.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "libpq_handles.h"
#include "server/auth/authenticator.h"
#include "server/pgwire/pg_server.h"
#include "tenantdb/database.h"

namespace tenantdb::server::pgwire {
namespace {

const std::string kRootPassword = "root-password-for-tls-tests";

struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};

// Writes a self-signed P-256 certificate for CN=localhost (SAN DNS:localhost,
// IP:127.0.0.1) to `cert` and its key to `key`.
void MakeSelfSignedCertificate(const std::filesystem::path& cert,
                               const std::filesystem::path& key) {
  std::unique_ptr<EVP_PKEY, KeyDeleter> pkey(EVP_EC_gen("P-256"));
  ASSERT_NE(pkey, nullptr);
  std::unique_ptr<X509, X509Deleter> x509(X509_new());
  ASSERT_NE(x509, nullptr);
  X509_set_version(x509.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x509.get()), static_cast<long>(::getpid()));
  X509_gmtime_adj(X509_getm_notBefore(x509.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x509.get()), 24 * 3600);
  X509_set_pubkey(x509.get(), pkey.get());
  X509_NAME* name = X509_get_subject_name(x509.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x509.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x509.get(), x509.get(), nullptr, nullptr, 0);
  for (const auto& [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1"},
                                   std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    ASSERT_NE(ext, nullptr);
    X509_add_ext(x509.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  ASSERT_GT(X509_sign(x509.get(), pkey.get(), EVP_sha256()), 0);
  std::unique_ptr<FILE, FileCloser> cert_out(std::fopen(cert.c_str(), "w"));
  ASSERT_NE(cert_out, nullptr);
  ASSERT_EQ(PEM_write_X509(cert_out.get(), x509.get()), 1);
  std::unique_ptr<FILE, FileCloser> key_out(std::fopen(key.c_str(), "w"));
  ASSERT_NE(key_out, nullptr);
  ASSERT_EQ(PEM_write_PrivateKey(key_out.get(), pkey.get(), nullptr, nullptr, 0, nullptr, nullptr),
            1);
}

class PgWireTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_pgwire_tls_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    MakeSelfSignedCertificate(dir_ / "server.crt", dir_ / "server.key");
    MakeSelfSignedCertificate(dir_ / "other.crt", dir_ / "other.key");
    Database::Options options;
    options.background_jobs = false;
    db_ = std::move(Database::Open((dir_ / "data").string(), options)).value();
    ASSERT_TRUE(EnsureRootPassword(db_.get(), kRootPassword).ok());
    config_.server.data_dir = (dir_ / "data").string();
    authenticator_ = std::move(Authenticator::Create(db_.get(), config_)).value();
    log_ =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
    options_.listen = {"127.0.0.1", 0};
    options_.shutdown_timeout = std::chrono::seconds(5);
    options_.ssl_cert_file = (dir_ / "server.crt").string();
    options_.ssl_key_file = (dir_ / "server.key").string();
  }

  void TearDown() override {
    server_.reset();
    authenticator_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Start() {
    auto server = PgServer::Start(options_, {db_.get(), authenticator_.get(), log_});
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
  }

  Conn Connect(const std::string& ssl) {
    const std::string info =
        "host=localhost hostaddr=127.0.0.1 port=" + std::to_string(server_->port()) +
        " user=root password=" + kRootPassword +
        " dbname=x gssencmode=disable connect_timeout=10 " + ssl;
    return Conn(PQconnectdb(info.c_str()));
  }

  std::string One(PGconn* conn, const std::string& sql) {
    PgResult r(PQexec(conn, sql.c_str()));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return PQresultErrorMessage(r.get());
    return PQgetvalue(r.get(), 0, 0);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  ServerConfig config_;
  std::unique_ptr<Authenticator> authenticator_;
  std::shared_ptr<spdlog::logger> log_;
  PgServerOptions options_;
  std::unique_ptr<PgServer> server_;
};

TEST_F(PgWireTlsTest, SslModeRequireEncryptsTheSession) {
  Start();
  Conn conn = Connect("sslmode=require");
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(PQsslInUse(conn.get()), 1);
  const char* protocol = PQsslAttribute(conn.get(), "protocol");
  ASSERT_NE(protocol, nullptr);
  EXPECT_TRUE(std::string(protocol) == "TLSv1.3" || std::string(protocol) == "TLSv1.2") << protocol;
  EXPECT_EQ(One(conn.get(), "SELECT 40 + 2"), "42");
  // A result far larger than one flush (ProtocolSession::kFlushBytes) streams through the
  // TLS form of the streaming write.
  PgResult r(
      PQexec(conn.get(), "SELECT g, repeat('x', 100) FROM generate_series(1, 20000) AS t(g)"));
  ASSERT_EQ(PQresultStatus(r.get()), PGRES_TUPLES_OK) << PQresultErrorMessage(r.get());
  EXPECT_EQ(PQntuples(r.get()), 20000);
  EXPECT_STREQ(PQgetvalue(r.get(), 19999, 0), "20000");
  // Errors come back over TLS too, and the session goes on.
  PgResult bad(PQexec(conn.get(), "SELECT nope"));
  EXPECT_STREQ(PQresultErrorField(bad.get(), PG_DIAG_SQLSTATE), "42703");
  EXPECT_EQ(One(conn.get(), "SELECT 'still here'"), "still here");
}

TEST_F(PgWireTlsTest, VerifyFullChecksTheCertificate) {
  Start();
  Conn trusted = Connect("sslmode=verify-full sslrootcert=" + (dir_ / "server.crt").string());
  ASSERT_EQ(PQstatus(trusted.get()), CONNECTION_OK) << PQerrorMessage(trusted.get());
  EXPECT_EQ(One(trusted.get(), "SELECT current_user"), "root");

  Conn untrusted = Connect("sslmode=verify-full sslrootcert=" + (dir_ / "other.crt").string());
  EXPECT_EQ(PQstatus(untrusted.get()), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(untrusted.get())).find("certificate verify failed"),
            std::string::npos)
      << PQerrorMessage(untrusted.get());
  // The failed handshake costs the server nothing: the next client is served.
  Conn again = Connect("sslmode=require");
  ASSERT_EQ(PQstatus(again.get()), CONNECTION_OK) << PQerrorMessage(again.get());
}

TEST_F(PgWireTlsTest, PlainClientsAreServedUnlessTlsIsRequired) {
  Start();
  Conn plain = Connect("sslmode=disable");
  ASSERT_EQ(PQstatus(plain.get()), CONNECTION_OK) << PQerrorMessage(plain.get());
  EXPECT_EQ(PQsslInUse(plain.get()), 0);
  EXPECT_EQ(One(plain.get(), "SELECT 1"), "1");
  server_.reset();

  options_.ssl_required = true;
  Start();
  Conn refused = Connect("sslmode=disable");
  EXPECT_EQ(PQstatus(refused.get()), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(refused.get())).find("accepts only encrypted connections"),
            std::string::npos)
      << PQerrorMessage(refused.get());
  Conn encrypted = Connect("sslmode=require");
  ASSERT_EQ(PQstatus(encrypted.get()), CONNECTION_OK) << PQerrorMessage(encrypted.get());
  EXPECT_EQ(PQsslInUse(encrypted.get()), 1);
}

TEST_F(PgWireTlsTest, WithoutACertificateTlsIsDeclined) {
  options_.ssl_cert_file.clear();
  options_.ssl_key_file.clear();
  Start();
  Conn required = Connect("sslmode=require");
  EXPECT_EQ(PQstatus(required.get()), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(required.get())).find("server does not support SSL"),
            std::string::npos)
      << PQerrorMessage(required.get());
  Conn preferred = Connect("sslmode=prefer");
  ASSERT_EQ(PQstatus(preferred.get()), CONNECTION_OK) << PQerrorMessage(preferred.get());
  EXPECT_EQ(PQsslInUse(preferred.get()), 0);
}

TEST_F(PgWireTlsTest, BadCertificateFilesStopTheListenerWithAClearError) {
  PgServerOptions missing = options_;
  missing.ssl_cert_file = (dir_ / "nope.crt").string();
  auto r = PgServer::Start(missing, {db_.get(), authenticator_.get(), log_});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nope.crt"), std::string::npos) << r.status().ToString();

  PgServerOptions mismatched = options_;
  mismatched.ssl_key_file = (dir_ / "other.key").string();
  r = PgServer::Start(mismatched, {db_.get(), authenticator_.get(), log_});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("does not belong"), std::string::npos)
      << r.status().ToString();

  PgServerOptions half = options_;
  half.ssl_key_file.clear();
  r = PgServer::Start(half, {db_.get(), authenticator_.get(), log_});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("go together"), std::string::npos);
}

TEST_F(PgWireTlsTest, BytesSentInClearAfterTheSslRequestAreRefused) {
  Start();
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server_->port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  // SSLRequest, then (without waiting for the answer) the start of a startup packet: an
  // attacker's injection that would otherwise be read as if it came through TLS.
  const unsigned char request[] = {0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f, 0, 0, 0, 9, 0, 3, 0, 0, 0};
  ASSERT_EQ(::send(fd, request, sizeof(request), MSG_NOSIGNAL),
            static_cast<ssize_t>(sizeof(request)));
  std::string answer;
  char buffer[512];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof(buffer), 0)) > 0;)
    answer.append(buffer, static_cast<size_t>(n));
  ::close(fd);
  ASSERT_FALSE(answer.empty());
  EXPECT_EQ(answer[0], 'E');  // no 'S': an error, then the server closes
  EXPECT_NE(answer.find("received unencrypted data after SSL request"), std::string::npos);
}

}  // namespace
}  // namespace tenantdb::server::pgwire
