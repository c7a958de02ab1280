#include "platform/crypto/keyring.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace fairdesk::crypto {
namespace {
namespace fs = std::filesystem;

class KeyringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("fd_keyring_test_" + std::to_string(rd()) + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Keyring> OpenRing() {
    auto ring = Keyring::Open(dir_);
    EXPECT_TRUE(ring.has_value()) << (ring ? "" : ring.error().internal);
    return ring ? std::move(*ring) : nullptr;
  }

  fs::path dir_;
};

TEST_F(KeyringTest, FirstStartCreatesOnePrivateKeyFile) {
  auto ring = OpenRing();
  ASSERT_TRUE(ring);
  EXPECT_EQ(ring->active_key_id(), 1u);
  struct stat st{};
  ASSERT_EQ(::stat((dir_ / "keys" / "key-1").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  ASSERT_EQ(::stat((dir_ / "keys").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700);
  // A second start reuses the key: what the first encrypted, the second decrypts.
  auto sealed = ring->Encrypt("Musterfrau", "clients/name/cli_1");
  ASSERT_TRUE(sealed);
  auto again = OpenRing();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->Keys().size(), 1u);
  EXPECT_EQ(again->Decrypt(*sealed, "clients/name/cli_1").value(), "Musterfrau");
}

TEST_F(KeyringTest, RoundTripAndFormat) {
  auto ring = OpenRing();
  ASSERT_TRUE(ring);
  std::string plain("binary\0data \xff", 13);
  auto sealed = ring->Encrypt(plain, "ad");
  ASSERT_TRUE(sealed);
  EXPECT_EQ(sealed->size(), plain.size() + kCiphertextOverhead);
  EXPECT_EQ(static_cast<unsigned char>((*sealed)[0]), 1);
  EXPECT_EQ(Keyring::KeyIdOf(*sealed), 1u);
  EXPECT_EQ(sealed->find("data"), std::string::npos);
  EXPECT_EQ(ring->Decrypt(*sealed, "ad").value(), plain);
  // Two encryptions of the same text differ (random nonce).
  EXPECT_NE(ring->Encrypt(plain, "ad").value(), *sealed);
  // Empty plaintext works too.
  EXPECT_EQ(ring->Decrypt(ring->Encrypt("", "ad").value(), "ad").value(), "");
}

TEST_F(KeyringTest, RefusesWrongAssociatedDataAndTampering) {
  auto ring = OpenRing();
  ASSERT_TRUE(ring);
  auto ad = AssociatedData("clients", "name", "cli_1");
  EXPECT_EQ(ad, "clients/name/cli_1");
  auto sealed = ring->Encrypt("secret", ad).value();
  // Moved to another record or column: refused.
  EXPECT_FALSE(ring->Decrypt(sealed, AssociatedData("clients", "name", "cli_2")));
  EXPECT_FALSE(ring->Decrypt(sealed, AssociatedData("clients", "phone", "cli_1")));
  // One flipped bit anywhere: refused, and the error holds no plaintext.
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string bad = sealed;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    auto r = ring->Decrypt(bad, ad);
    ASSERT_FALSE(r) << "byte " << i;
    EXPECT_EQ(r.error().internal.find("secret"), std::string::npos);
  }
  EXPECT_FALSE(ring->Decrypt("short", ad));
  EXPECT_FALSE(ring->Decrypt(sealed.substr(0, sealed.size() - 1), ad));
}

TEST_F(KeyringTest, TextEncoding) {
  auto ring = OpenRing();
  ASSERT_TRUE(ring);
  auto text = ring->EncryptToText("Jana Nowak", "clients/name/cli_9").value();
  EXPECT_EQ(text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_EQ(ring->DecryptText(text, "clients/name/cli_9").value(), "Jana Nowak");
  EXPECT_FALSE(ring->DecryptText("not base64 !", "clients/name/cli_9"));
  EXPECT_EQ(Keyring::KeyIdOfText(text), 1u);
  EXPECT_EQ(ring->ReencryptText(text, "clients/name/cli_9").value(), text);
  ASSERT_EQ(ring->Rotate().value(), 2u);
  auto moved = ring->ReencryptText(text, "clients/name/cli_9").value();
  EXPECT_EQ(Keyring::KeyIdOfText(moved), 2u);
  EXPECT_EQ(ring->DecryptText(moved, "clients/name/cli_9").value(), "Jana Nowak");
}

// The rotation procedure of docs/OPERATIONS.md: encrypt with key 1, rotate, decrypt, re-encrypt
// with key 2, drop key 1, still decrypts.
TEST_F(KeyringTest, RotationReencryptionAndDroppingTheOldKey) {
  auto ring = OpenRing();
  ASSERT_TRUE(ring);
  auto ad = AssociatedData("documents", "content", "doc_1");
  auto under_1 = ring->Encrypt("payslip", ad).value();
  EXPECT_EQ(Keyring::KeyIdOf(under_1), 1u);

  EXPECT_EQ(ring->Rotate().value(), 2u);
  EXPECT_EQ(ring->active_key_id(), 2u);
  EXPECT_EQ(ring->Decrypt(under_1, ad).value(), "payslip");
  EXPECT_EQ(Keyring::KeyIdOf(ring->Encrypt("new", ad).value()), 2u);

  auto under_2 = ring->Reencrypt(under_1, ad).value();
  EXPECT_EQ(Keyring::KeyIdOf(under_2), 2u);
  EXPECT_EQ(ring->Reencrypt(under_2, ad).value(), under_2);  // already under the active key
  EXPECT_FALSE(ring->Reencrypt(under_1, "documents/content/doc_2"));

  EXPECT_FALSE(ring->Drop(2));  // the active key stays
  ASSERT_TRUE(ring->Drop(1));
  EXPECT_FALSE(fs::exists(dir_ / "keys" / "key-1"));
  EXPECT_EQ(ring->Decrypt(under_2, ad).value(), "payslip");
  EXPECT_FALSE(ring->Decrypt(under_1, ad));

  // A fresh process sees the same state.
  auto again = OpenRing();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->active_key_id(), 2u);
  EXPECT_EQ(again->Keys().size(), 1u);
  EXPECT_EQ(again->Decrypt(under_2, ad).value(), "payslip");
}

TEST_F(KeyringTest, ARunningProcessLearnsKeysRotatedElsewhere) {
  auto server = OpenRing();
  auto cli = OpenRing();
  ASSERT_TRUE(server && cli);
  ASSERT_EQ(cli->Rotate().value(), 2u);
  auto sealed = cli->Encrypt("x", "a").value();
  EXPECT_EQ(server->Decrypt(sealed, "a").value(), "x");
  // ... and writes under the new active key from then on.
  ASSERT_EQ(cli->Rotate().value(), 3u);
  EXPECT_EQ(Keyring::KeyIdOf(server->Encrypt("y", "a").value()), 3u);
  EXPECT_EQ(server->active_key_id(), 3u);
}

TEST_F(KeyringTest, RefusesKeyFilesOthersCanRead) {
  ASSERT_TRUE(OpenRing());
  ::chmod((dir_ / "keys" / "key-1").c_str(), 0644);
  auto ring = Keyring::Open(dir_);
  ASSERT_FALSE(ring);
  EXPECT_NE(ring.error().internal.find("chmod 600"), std::string::npos);
}

TEST_F(KeyringTest, RefusesADamagedKeyFile) {
  ASSERT_TRUE(OpenRing());
  {
    std::ofstream out(dir_ / "keys" / "key-1", std::ios::trunc);
    out << "zz\n";
  }
  EXPECT_FALSE(Keyring::Open(dir_));
}

TEST(KeyringEphemeral, Works) {
  auto ring = Keyring::Ephemeral();
  EXPECT_EQ(ring->Decrypt(ring->Encrypt("a", "b").value(), "b").value(), "a");
  EXPECT_EQ(ring->Rotate().value(), 2u);
}

}  // namespace
}  // namespace fairdesk::crypto
