#include "auth/passwords.hpp"

#include <gtest/gtest.h>

namespace fairdesk::auth {
namespace {

TEST(Passwords, Issue8_08_BundledListIsLoaded) {
  EXPECT_TRUE(IsCommonPassword("123456"));
  EXPECT_TRUE(IsCommonPassword("Password"));
  EXPECT_FALSE(IsCommonPassword("correct horse battery staple"));
}

TEST(Passwords, Issue8_08_TriviallyWeakPasswordsAreRefused) {
  for (const char* weak : {"            ", "aaaaaaaaaaaa", "abababababab", "123456789012", "abcdefghijkl",
                           "zyxwvutsrqpo", "passwordpassword", "password1234", "!!qwerty2024!!", "123456123456",
                           "iloveyou2026", "Aa1Aa1Aa1Aa1"}) {
    EXPECT_TRUE(WeakPasswordReason(weak, "someone@example.org").has_value()) << weak;
  }
  EXPECT_TRUE(WeakPasswordReason("someone@example.org", "someone@example.org").has_value());
  EXPECT_TRUE(WeakPasswordReason("someone2026!!", "someone@example.org").has_value());
}

TEST(Passwords, Issue8_08_ReasonablePasswordsPass) {
  for (const char* ok : {"fairdesk-demo", "Tr0mbone-Kastanie", "correct horse battery staple", "vier Katzen im Flur",
                         "Ünïcödé-Pässwört"}) {
    EXPECT_FALSE(WeakPasswordReason(ok, "someone@example.org").has_value()) << ok;
  }
}

}  // namespace
}  // namespace fairdesk::auth
