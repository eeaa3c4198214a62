#include "server/auth/token_secret.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "server/auth/jwt.h"
#include "server/auth/secure_random.h"

namespace tenantdb::server {

namespace {

// An fd closed on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Status IoError(const std::string& what, const std::string& path, int err) {
  return Status(ErrorCode::kIoError, what + " " + path + ": " + std::strerror(err));
}

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    out += kDigits[static_cast<uint8_t>(c) >> 4];
    out += kDigits[static_cast<uint8_t>(c) & 15];
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError("cannot write", path, errno);
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status SyncDirectory(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return IoError("cannot open directory", dir, errno);
  if (::fsync(fd.get()) != 0) return IoError("cannot fsync directory", dir, errno);
  return Status::Ok();
}

// Reads an existing secret file; NotFound when there is none.
Result<std::string> ReadSecret(const std::string& path) {
  // O_NOFOLLOW: a symlink planted in the data directory cannot point us elsewhere.
  Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return Status(ErrorCode::kNotFound, path + " does not exist");
    if (errno == ELOOP) {
      return Status(ErrorCode::kConfigFileError,
                    path + " is a symbolic link; the token secret must be a regular file");
    }
    return IoError("cannot open", path, errno);
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return IoError("cannot stat", path, errno);
  if (!S_ISREG(st.st_mode)) {
    return Status(ErrorCode::kConfigFileError, path + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Status(ErrorCode::kConfigFileError,
                  path + " has mode " + mode +
                      ": other users may read the token signing secret. Run `chmod 600 " + path +
                      "` if nobody else could have read it, or delete it to generate a new "
                      "secret (which logs every user out)");
  }
  if (st.st_uid != ::geteuid()) {
    return Status(ErrorCode::kConfigFileError,
                  path + " belongs to user id " + std::to_string(st.st_uid) +
                      ", not to the user running the server (" + std::to_string(::geteuid()) + ")");
  }
  char buffer[2 * kGeneratedTokenSecretBytes + 2];
  size_t size = 0;
  while (size < sizeof(buffer)) {
    const ssize_t n = ::read(fd.get(), buffer + size, sizeof(buffer) - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError("cannot read", path, errno);
    if (n == 0) break;
    size += static_cast<size_t>(n);
  }
  std::string_view text(buffer, size);
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::string secret;
  bool hex = text.size() == 2 * kGeneratedTokenSecretBytes;
  for (size_t i = 0; hex && i < text.size(); i += 2) {
    const int hi = HexValue(text[i]);
    const int lo = HexValue(text[i + 1]);
    hex = hi >= 0 && lo >= 0;
    secret += static_cast<char>(hi * 16 + lo);
  }
  if (!hex) {
    return Status(ErrorCode::kConfigFileError,
                  path +
                      " does not hold a token secret (64 hex digits); delete it to generate "
                      "a new one (which logs every user out)");
  }
  return secret;
}

// Writes a new secret to `path` unless one appeared meanwhile (then returns that one).
Result<std::string> CreateSecret(const std::string& data_dir, const std::string& path) {
  TDB_ASSIGN_OR_RETURN(const std::string secret, SecureRandomBytes(kGeneratedTokenSecretBytes));
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  // A leftover from a crash of a process with our pid holds no secret anyone uses.
  ::unlink(temp.c_str());
  {
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0) return IoError("cannot create", temp, errno);
    // The umask can only clear bits; fchmod makes 0600 exact whatever it is.
    Status s = ::fchmod(fd.get(), 0600) == 0 ? Status::Ok() : IoError("cannot chmod", temp, errno);
    if (s.ok()) s = WriteAll(fd.get(), ToHex(secret) + "\n", temp);
    if (s.ok() && ::fsync(fd.get()) != 0) s = IoError("cannot fsync", temp, errno);
    if (!s.ok()) {
      ::unlink(temp.c_str());
      return s;
    }
  }
  const int linked = ::link(temp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (linked != 0) {
    // Another process created it first: use theirs, so both sign with one secret.
    if (link_errno == EEXIST) return ReadSecret(path);
    return IoError("cannot create", path, link_errno);
  }
  TDB_RETURN_IF_ERROR(SyncDirectory(data_dir));
  return secret;
}

}  // namespace

Result<std::string> LoadOrCreateTokenSecret(std::string_view configured,
                                            const std::string& data_dir) {
  if (!configured.empty()) {
    if (configured.size() < JwtCodec::kMinSecretBytes) {
      return Status(ErrorCode::kInvalidArgument,
                    "[auth] jwt_secret has " + std::to_string(configured.size()) +
                        " bytes; use at least " + std::to_string(JwtCodec::kMinSecretBytes) +
                        " (e.g. the output of `openssl rand -hex 32`), or leave it empty to "
                        "have one generated into the data directory");
    }
    return std::string(configured);
  }
  const std::string path = data_dir + "/" + kTokenSecretFileName;
  Result<std::string> existing = ReadSecret(path);
  if (existing.ok() || existing.status().code() != ErrorCode::kNotFound) return existing;
  return CreateSecret(data_dir, path);
}

}  // namespace tenantdb::server
