#pragma once
/// Encryption at rest: a keyring of 256-bit keys kept in files under `<state_dir>/keys/` (never in
/// the database), used with libsodium's XChaCha20-Poly1305 (IETF) AEAD.
///
/// Ciphertext layout (binary): version byte (1) | key id (4 bytes, big endian) | nonce (24 bytes)
/// | ciphertext and tag (plaintext size + 16). The header is authenticated together with the
/// caller's associated data, so neither the key id nor the record a value belongs to can be
/// swapped. Because every ciphertext names its key, keys can be rotated: `Rotate` adds a new
/// active key, older keys keep decrypting, and `Reencrypt` moves a value to the active key.
///
/// Associated data names the place a value belongs to; use AssociatedData(table, column, id) so
/// that `fairdesk keys reencrypt` can rebuild it for every registered EncryptedColumn.
///
/// Thread safety: Encrypt/Decrypt may be called from any thread. Another process may rotate
/// (`fairdesk keys rotate`): a Decrypt that meets an unknown key id reloads the key folder once,
/// and Encrypt notices a changed `active` file (one stat per call) and switches to the new key,
/// so a running server never keeps writing under a key that is about to be retired.

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/error.hpp"

namespace fairdesk::crypto {

/// Size of the header and tag around a plaintext: 1 + 4 + 24 + 16 bytes.
inline constexpr std::size_t kCiphertextOverhead = 45;

/// "table/column/record_id": the associated data of a value stored in one column of one record.
std::string AssociatedData(std::string_view table, std::string_view column, std::string_view record_id);

/// A database column that holds Keyring ciphertexts whose associated data is
/// AssociatedData(table, column, <id_column value>). Modules list theirs so that
/// `fairdesk keys reencrypt` can move every value to the active key.
struct EncryptedColumn {
  enum class Encoding { kBlob, kBase64Text };
  std::string table;
  std::string id_column;
  std::string column;
  Encoding encoding = Encoding::kBlob;
};

struct KeyInfo {
  std::uint32_t id = 0;
  bool active = false;
  std::int64_t created_at = 0;  // unix seconds (file modification time)
};

class Keyring {
 public:
  /// Loads `<state_dir>/keys/`, creating the folder (0700) and a first random key (0600) when
  /// there is none. A key file readable by group or others is refused.
  static Result<std::unique_ptr<Keyring>> Open(const std::filesystem::path& state_dir);
  /// An in-memory keyring with one random key (unit tests of other modules).
  static std::unique_ptr<Keyring> Ephemeral();
  ~Keyring();
  Keyring(const Keyring&) = delete;
  Keyring& operator=(const Keyring&) = delete;

  /// Encrypts under the active key with a fresh random nonce.
  Result<std::string> Encrypt(std::string_view plaintext, std::string_view associated_data) const;
  /// Decrypts a value of any known key. A damaged value, a value of another record (wrong
  /// associated data) or of an unknown key is kInternal (never the plaintext or key material).
  Result<std::string> Decrypt(std::string_view ciphertext, std::string_view associated_data) const;
  /// The value under the active key, or the same bytes when it already is (so a caller can skip
  /// the write).
  Result<std::string> Reencrypt(std::string_view ciphertext, std::string_view associated_data) const;

  /// Encrypt/Decrypt for TEXT columns: the ciphertext in base64url without padding.
  Result<std::string> EncryptToText(std::string_view plaintext, std::string_view associated_data) const;
  Result<std::string> DecryptText(std::string_view text, std::string_view associated_data) const;
  /// Reencrypt for the text form.
  Result<std::string> ReencryptText(std::string_view text, std::string_view associated_data) const;

  /// Creates a new random key and makes it the active one; answers its id.
  Result<std::uint32_t> Rotate();
  /// Removes a key file. Refuses the active key. Values still under that key become unreadable:
  /// run Reencrypt over the whole database first (`fairdesk keys reencrypt`).
  Status Drop(std::uint32_t key_id);

  std::uint32_t active_key_id() const;
  /// The key a ciphertext was made with, or 0 when it is not a keyring ciphertext.
  static std::uint32_t KeyIdOf(std::string_view ciphertext);
  static std::uint32_t KeyIdOfText(std::string_view text);
  std::vector<KeyInfo> Keys() const;

 private:
  struct Key {
    std::array<unsigned char, 32> bytes{};
    std::int64_t created_at = 0;
  };
  Keyring() = default;
  Status Load();
  bool ReloadIfUnknown(std::uint32_t key_id) const;
  void ReloadIfActiveChanged() const;
  static std::int64_t ActiveStamp(const std::filesystem::path& dir);

  std::filesystem::path dir_;  // empty: ephemeral
  mutable std::shared_mutex mutex_;
  mutable std::map<std::uint32_t, Key> keys_;
  mutable std::uint32_t active_ = 0;
  mutable std::int64_t active_stamp_ = 0;  // modification time (ns) of the `active` file when loaded
};

}  // namespace fairdesk::crypto
