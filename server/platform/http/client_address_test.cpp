#include "platform/http/client_address.hpp"

#include <gtest/gtest.h>

#include "platform/http/problem.hpp"

namespace fairdesk::http {
namespace {

TEST(TrustedProxies, Issue8_06_ForwardedForOnlyFromConfiguredProxies) {
  auto proxies = TrustedProxies::Parse({"10.0.0.0/8", "127.0.0.1", "::1"});
  ASSERT_TRUE(proxies);
  // A direct client's own header is ignored.
  EXPECT_EQ(proxies->ClientAddress("203.0.113.5", "198.51.100.1"), "203.0.113.5");
  // Through one proxy: the address it appended.
  EXPECT_EQ(proxies->ClientAddress("127.0.0.1", "198.51.100.1"), "198.51.100.1");
  // A forged entry in front of the real one is not believed; trusted hops are skipped.
  EXPECT_EQ(proxies->ClientAddress("127.0.0.1", "1.2.3.4, 198.51.100.1, 10.1.2.3"), "198.51.100.1");
  // Only proxies all the way: the leftmost address stands.
  EXPECT_EQ(proxies->ClientAddress("::1", "10.0.0.9"), "10.0.0.9");
  // Garbage ends the walk at the proxy's own view.
  EXPECT_EQ(proxies->ClientAddress("127.0.0.1", "nonsense"), "127.0.0.1");
  // IPv4-mapped peers are the same as IPv4.
  EXPECT_EQ(proxies->ClientAddress("::ffff:127.0.0.1", "198.51.100.2"), "198.51.100.2");
  // No proxies configured: the header never counts.
  auto none = TrustedProxies::Parse({});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->ClientAddress("127.0.0.1", "198.51.100.1"), "127.0.0.1");
}

TEST(TrustedProxies, RefusesWhatIsNoAddress) {
  std::string bad;
  EXPECT_FALSE(TrustedProxies::Parse({"10.0.0.0/33"}, &bad));
  EXPECT_EQ(bad, "10.0.0.0/33");
  EXPECT_FALSE(TrustedProxies::Parse({"proxy.example"}, &bad));
  EXPECT_FALSE(TrustedProxies::Parse({"10.0.0.0/x"}, &bad));
}

TEST(Problem, Issue8_18_SafeUtf8CutsAtCharacterBoundaries) {
  EXPECT_EQ(SafeUtf8("abc", 10), "abc");
  EXPECT_EQ(SafeUtf8("a\xff" "b", 10), "a\xEF\xBF\xBD" "b");      // invalid byte replaced
  EXPECT_EQ(SafeUtf8("\xC0\xAF", 10), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong form
  EXPECT_EQ(SafeUtf8("\xED\xA0\x80", 20), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  // "ääää" is 8 bytes: cut to 6 bytes, the ellipsis (3 bytes) included, on a boundary.
  EXPECT_EQ(SafeUtf8("\xC3\xA4\xC3\xA4\xC3\xA4\xC3\xA4", 6), "\xC3\xA4\xE2\x80\xA6");
}

TEST(Problem, Issue8_18_AtMostFiftyFieldErrors) {
  std::vector<FieldError> errors;
  for (int i = 0; i < 500; ++i) errors.push_back({"f" + std::to_string(i) + "\xff", "bad"});
  Response r = Problem(Error::Invalid(errors));
  auto doc = boost::json::parse(r.body).as_object();
  EXPECT_EQ(doc["errors"].as_array().size(), kMaxProblemErrors);
  EXPECT_EQ(doc["errors_omitted"].to_number<int>(), 450);
  EXPECT_EQ(doc["errors"].as_array()[0].as_object()["field"].as_string(), "f0\xEF\xBF\xBD");
}

}  // namespace
}  // namespace fairdesk::http
