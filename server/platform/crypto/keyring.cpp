#include "platform/crypto/keyring.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>

namespace fairdesk::crypto {
namespace fs = std::filesystem;
namespace {

constexpr unsigned char kVersion = 1;
constexpr std::size_t kHeaderBytes = 1 + 4;
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(kCiphertextOverhead == kHeaderBytes + kNonceBytes + kTagBytes);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32);

constexpr std::string_view kKeyPrefix = "key-";
constexpr std::string_view kActiveFile = "active";

std::string Header(std::uint32_t key_id) {
  std::string h(kHeaderBytes, '\0');
  h[0] = static_cast<char>(kVersion);
  for (int i = 0; i < 4; ++i) h[1 + i] = static_cast<char>((key_id >> (8 * (3 - i))) & 0xff);
  return h;
}

// The AEAD's associated data: the header (so the key id cannot be changed) and the caller's.
std::string FullAd(std::string_view header, std::string_view associated_data) {
  std::string ad(header);
  ad.append(associated_data);
  return ad;
}

std::optional<std::uint32_t> ParseId(std::string_view s) {
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v == 0) return std::nullopt;
  return v;
}

fs::path KeyPath(const fs::path& dir, std::uint32_t id) { return dir / (std::string(kKeyPrefix) + std::to_string(id)); }

// Writes `content` to a new file with mode 0600 that must not exist yet, and syncs it.
Status WriteNewFile(const fs::path& path, std::string_view content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Fail(Error::Conflict("A key file of that id exists already."));
    return Fail(Error::Internal("keyring: cannot create " + path.filename().string() + ": " + std::strerror(errno)));
  }
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Fail(Error::Internal("keyring: cannot write " + path.filename().string()));
  return {};
}

// Replaces `path` atomically (write a temporary file, then rename).
Status ReplaceFile(const fs::path& path, std::string_view content) {
  fs::path tmp = path;
  tmp += ".tmp";
  std::error_code ec;
  fs::remove(tmp, ec);
  FD_TRY_VOID(WriteNewFile(tmp, content));
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return Fail(Error::Internal("keyring: cannot replace " + path.filename().string()));
  }
  return {};
}

Status SyncDir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  return {};
}

std::string RandomKeyHex() {
  unsigned char key[32];
  crypto_aead_xchacha20poly1305_ietf_keygen(key);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, key, sizeof key);
  sodium_memzero(key, sizeof key);
  std::string out(hex, 64);
  sodium_memzero(hex, sizeof hex);
  out += '\n';
  return out;
}

Error Undecryptable(std::string_view why) {
  return Error::Internal(std::string("keyring: cannot decrypt a stored value (") + std::string(why) + ")");
}

}  // namespace

std::string AssociatedData(std::string_view table, std::string_view column, std::string_view record_id) {
  std::string ad;
  ad.reserve(table.size() + column.size() + record_id.size() + 2);
  ad.append(table).append("/").append(column).append("/").append(record_id);
  return ad;
}

Keyring::~Keyring() {
  for (auto& [id, key] : keys_) sodium_memzero(key.bytes.data(), key.bytes.size());
}

Result<std::unique_ptr<Keyring>> Keyring::Open(const fs::path& state_dir) {
  if (sodium_init() < 0) return Fail(Error::Internal("libsodium could not be initialised"));
  std::unique_ptr<Keyring> ring(new Keyring());
  ring->dir_ = state_dir / "keys";
  std::error_code ec;
  fs::create_directories(ring->dir_, ec);
  if (ec) return Fail(Error::Internal("keyring: cannot create the key folder: " + ec.message()));
  ::chmod(ring->dir_.c_str(), 0700);
  FD_TRY_VOID(ring->Load());
  if (ring->keys_.empty()) {
    auto created = WriteNewFile(KeyPath(ring->dir_, 1), RandomKeyHex());
    if (!created && created.error().kind != ErrorKind::kConflict) return Fail(created.error());
    FD_TRY_VOID(ReplaceFile(ring->dir_ / kActiveFile, "1\n"));
    SyncDir(ring->dir_);
    FD_TRY_VOID(ring->Load());
  }
  if (ring->keys_.empty()) return Fail(Error::Internal("keyring: no key could be created"));
  return ring;
}

std::unique_ptr<Keyring> Keyring::Ephemeral() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  std::unique_ptr<Keyring> ring(new Keyring());
  Key key;
  crypto_aead_xchacha20poly1305_ietf_keygen(key.bytes.data());
  ring->keys_.emplace(1, key);
  sodium_memzero(key.bytes.data(), key.bytes.size());
  ring->active_ = 1;
  return ring;
}

Status Keyring::Load() {
  if (dir_.empty()) return {};
  std::map<std::uint32_t, Key> keys;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    std::string name = entry.path().filename().string();
    if (!name.starts_with(kKeyPrefix)) continue;
    auto id = ParseId(std::string_view(name).substr(kKeyPrefix.size()));
    if (!id) continue;  // temporary files and anything else an operator left there
    struct stat st{};
    if (::stat(entry.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if ((st.st_mode & 077) != 0) {
      return Fail(Error::Internal("keyring: key file " + name +
                                  " is readable by group or others; chmod 600 it (and the folder 700)"));
    }
    std::ifstream in(entry.path());
    std::string hex;
    std::getline(in, hex);
    Key key;
    std::size_t len = 0;
    if (hex.size() != 64 || sodium_hex2bin(key.bytes.data(), key.bytes.size(), hex.data(), hex.size(), nullptr, &len,
                                           nullptr) != 0 || len != 32) {
      sodium_memzero(hex.data(), hex.size());
      return Fail(Error::Internal("keyring: key file " + name + " is not 64 hex digits"));
    }
    sodium_memzero(hex.data(), hex.size());
    key.created_at = static_cast<std::int64_t>(st.st_mtime);
    keys.emplace(*id, key);
    sodium_memzero(key.bytes.data(), key.bytes.size());
  }
  if (ec) return Fail(Error::Internal("keyring: cannot read the key folder: " + ec.message()));

  std::uint32_t active = keys.empty() ? 0 : keys.rbegin()->first;
  if (std::ifstream in(dir_ / kActiveFile); in) {
    std::string line;
    std::getline(in, line);
    auto id = ParseId(line);
    if (!id || !keys.contains(*id)) {
      return Fail(Error::Internal("keyring: the file 'active' names no key of the folder"));
    }
    active = *id;
  }
  const std::int64_t stamp = ActiveStamp(dir_);
  std::unique_lock lock(mutex_);
  for (auto& [id, key] : keys_) sodium_memzero(key.bytes.data(), key.bytes.size());
  keys_ = std::move(keys);
  active_ = active;
  active_stamp_ = stamp;
  return {};
}

std::int64_t Keyring::ActiveStamp(const fs::path& dir) {
  struct stat st{};
  if (::stat((dir / kActiveFile).c_str(), &st) != 0) return 0;
  // The inode too: `active` is replaced by rename, so even a change within the clock's
  // resolution gives a new stamp.
  return (static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec) ^
         static_cast<std::int64_t>(st.st_ino);
}

void Keyring::ReloadIfActiveChanged() const {
  if (dir_.empty()) return;
  const std::int64_t stamp = ActiveStamp(dir_);
  {
    std::shared_lock lock(mutex_);
    if (stamp == active_stamp_) return;
  }
  // A failed reload (a half-copied folder, say) keeps the keys in memory: writing under the
  // previous key is safe, it stays readable until an operator drops it after re-encryption.
  (void)const_cast<Keyring*>(this)->Load();
}

bool Keyring::ReloadIfUnknown(std::uint32_t key_id) const {
  {
    std::shared_lock lock(mutex_);
    if (keys_.contains(key_id)) return true;
  }
  if (dir_.empty()) return false;
  // Another process (`fairdesk keys rotate`) may have added the key since this one started.
  auto reloaded = const_cast<Keyring*>(this)->Load();
  std::shared_lock lock(mutex_);
  return reloaded.has_value() && keys_.contains(key_id);
}

Result<std::string> Keyring::Encrypt(std::string_view plaintext, std::string_view associated_data) const {
  ReloadIfActiveChanged();
  std::shared_lock lock(mutex_);
  auto it = keys_.find(active_);
  if (it == keys_.end()) return Fail(Error::Internal("keyring: no active key"));
  std::string out = Header(active_);
  out.resize(kHeaderBytes + kNonceBytes + plaintext.size() + kTagBytes);
  auto* nonce = reinterpret_cast<unsigned char*>(out.data() + kHeaderBytes);
  randombytes_buf(nonce, kNonceBytes);
  std::string ad = FullAd(std::string_view(out.data(), kHeaderBytes), associated_data);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(out.data() + kHeaderBytes + kNonceBytes), &written,
      reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
      reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr, nonce, it->second.bytes.data());
  out.resize(kHeaderBytes + kNonceBytes + written);
  return out;
}

std::uint32_t Keyring::KeyIdOf(std::string_view ciphertext) {
  if (ciphertext.size() < kCiphertextOverhead || static_cast<unsigned char>(ciphertext[0]) != kVersion) return 0;
  std::uint32_t id = 0;
  for (int i = 0; i < 4; ++i) id = (id << 8) | static_cast<unsigned char>(ciphertext[1 + i]);
  return id;
}

Result<std::string> Keyring::Decrypt(std::string_view ciphertext, std::string_view associated_data) const {
  std::uint32_t key_id = KeyIdOf(ciphertext);
  if (key_id == 0) return Fail(Undecryptable("not a keyring ciphertext"));
  if (!ReloadIfUnknown(key_id)) return Fail(Undecryptable("unknown key " + std::to_string(key_id)));
  std::shared_lock lock(mutex_);
  auto it = keys_.find(key_id);
  if (it == keys_.end()) return Fail(Undecryptable("unknown key " + std::to_string(key_id)));
  const auto* nonce = reinterpret_cast<const unsigned char*>(ciphertext.data() + kHeaderBytes);
  std::string_view body = ciphertext.substr(kHeaderBytes + kNonceBytes);
  std::string ad = FullAd(ciphertext.substr(0, kHeaderBytes), associated_data);
  std::string out(body.size() - kTagBytes, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(out.data()), &written, nullptr,
          reinterpret_cast<const unsigned char*>(body.data()), body.size(),
          reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nonce, it->second.bytes.data()) != 0) {
    return Fail(Undecryptable("authentication failed"));
  }
  out.resize(written);
  return out;
}

Result<std::string> Keyring::Reencrypt(std::string_view ciphertext, std::string_view associated_data) const {
  if (KeyIdOf(ciphertext) == active_key_id()) {
    // Authenticate anyway: a re-encryption run doubles as an integrity check of the stored data.
    FD_TRY_VOID(Decrypt(ciphertext, associated_data));
    return std::string(ciphertext);
  }
  std::string plain = FD_TRY(Decrypt(ciphertext, associated_data));
  auto out = Encrypt(plain, associated_data);
  sodium_memzero(plain.data(), plain.size());
  return out;
}

Result<std::string> Keyring::EncryptToText(std::string_view plaintext, std::string_view associated_data) const {
  std::string raw = FD_TRY(Encrypt(plaintext, associated_data));
  std::string out(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

namespace {
std::optional<std::string> FromBase64Url(std::string_view text) {
  std::string raw(text.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), text.data(), text.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  raw.resize(len);
  return raw;
}
}  // namespace

Result<std::string> Keyring::DecryptText(std::string_view text, std::string_view associated_data) const {
  auto raw = FromBase64Url(text);
  if (!raw) return Fail(Undecryptable("not base64url"));
  return Decrypt(*raw, associated_data);
}

Result<std::string> Keyring::ReencryptText(std::string_view text, std::string_view associated_data) const {
  auto raw = FromBase64Url(text);
  if (!raw) return Fail(Undecryptable("not base64url"));
  if (KeyIdOf(*raw) == active_key_id()) {
    FD_TRY_VOID(Decrypt(*raw, associated_data));
    return std::string(text);
  }
  std::string plain = FD_TRY(Decrypt(*raw, associated_data));
  auto out = EncryptToText(plain, associated_data);
  sodium_memzero(plain.data(), plain.size());
  return out;
}

std::uint32_t Keyring::KeyIdOfText(std::string_view text) {
  // Only the first 8 characters are needed for the 5 header bytes.
  auto raw = FromBase64Url(text.substr(0, std::min<std::size_t>(text.size(), 8)));
  if (!raw || raw->size() < 5 || static_cast<unsigned char>((*raw)[0]) != kVersion) return 0;
  std::uint32_t id = 0;
  for (int i = 0; i < 4; ++i) id = (id << 8) | static_cast<unsigned char>((*raw)[1 + i]);
  return id;
}

Result<std::uint32_t> Keyring::Rotate() {
  std::uint32_t next = 1;
  {
    std::shared_lock lock(mutex_);
    if (!keys_.empty()) next = keys_.rbegin()->first + 1;
  }
  if (dir_.empty()) {
    Key key;
    crypto_aead_xchacha20poly1305_ietf_keygen(key.bytes.data());
    std::unique_lock lock(mutex_);
    keys_.emplace(next, key);
    sodium_memzero(key.bytes.data(), key.bytes.size());
    active_ = next;
    return next;
  }
  FD_TRY_VOID(Load());  // pick up keys another process added meanwhile
  {
    std::shared_lock lock(mutex_);
    if (!keys_.empty()) next = std::max(next, keys_.rbegin()->first + 1);
  }
  FD_TRY_VOID(WriteNewFile(KeyPath(dir_, next), RandomKeyHex()));
  FD_TRY_VOID(ReplaceFile(dir_ / kActiveFile, std::to_string(next) + "\n"));
  SyncDir(dir_);
  FD_TRY_VOID(Load());
  return next;
}

Status Keyring::Drop(std::uint32_t key_id) {
  if (!dir_.empty()) FD_TRY_VOID(Load());
  std::unique_lock lock(mutex_);
  if (key_id == active_) return Fail(Error::Conflict("The active key cannot be dropped; rotate first."));
  auto it = keys_.find(key_id);
  if (it == keys_.end()) return Fail(Error::NotFound("No key of that id."));
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove(KeyPath(dir_, key_id), ec);
    if (ec) return Fail(Error::Internal("keyring: cannot remove the key file: " + ec.message()));
    SyncDir(dir_);
  }
  sodium_memzero(it->second.bytes.data(), it->second.bytes.size());
  keys_.erase(it);
  return {};
}

std::uint32_t Keyring::active_key_id() const {
  std::shared_lock lock(mutex_);
  return active_;
}

std::vector<KeyInfo> Keyring::Keys() const {
  std::shared_lock lock(mutex_);
  std::vector<KeyInfo> out;
  for (const auto& [id, key] : keys_) out.push_back({id, id == active_, key.created_at});
  return out;
}

}  // namespace fairdesk::crypto
