#include "cases/routing.hpp"

#include <gtest/gtest.h>

#include "cases/reference.hpp"

namespace fairdesk::cases {
namespace {

RoutingContext Context() {
  RoutingContext c;
  c.centre = RoutingContext::Org{"centre-be-1", "advice_centre", "Faire Integration Berlin", "BE", {"de", "ar"}};
  c.partners = {
      {"partner-fair-mobility", "fair_mobility", "Faire Mobilität", std::nullopt, {}},
      {"partner-ba", "employment_agency", "Bundesagentur", std::nullopt, {}},
      {"partner-mbe", "migration_counselling", "MBE", std::nullopt, {}},
      {"partner-mbe-be", "migration_counselling", "MBE Berlin", "BE", {}},
      {"partner-iq", "recognition_counselling", "IQ Anerkennung", std::nullopt, {}},
      {"partner-kok", "anti_trafficking", "KOK", std::nullopt, {}},
      {"partner-ads", "anti_discrimination", "ADS", std::nullopt, {}},
      {"partner-fks", "customs_fks", "FKS", std::nullopt, {}},
  };
  for (std::string code : {"wages", "dismissal", "exploitation", "discrimination", "other"}) {
    c.topics.push_back({code, code, code, true, 0});
  }
  for (std::string code : {"job_search", "residence_status", "recognition"}) {
    c.topics.push_back({code, code, code, false, 0});
  }
  return c;
}

std::vector<std::string> Targets(const std::vector<Suggestion>& s) {
  std::vector<std::string> out;
  for (const auto& x : s) out.push_back(x.target);
  return out;
}

TEST(Routing, EuNationalGoesToFairMobility) {
  auto rules = DefaultRoutingRules();
  auto s = Route(rules, {"PL", {"wages"}, "10115", {}}, Context());
  ASSERT_EQ(Targets(s), std::vector<std::string>{"fair_mobility"});
  EXPECT_EQ(s[0].organisation_id, "partner-fair-mobility");
  EXPECT_FALSE(s[0].reason_en.empty());
  EXPECT_FALSE(s[0].reason_de.empty());
}

TEST(Routing, SwissAndEeaAreFreeMovement) {
  auto rules = DefaultRoutingRules();
  EXPECT_EQ(Targets(Route(rules, {"CH", {"dismissal"}, std::nullopt, {}}, Context()))[0], "fair_mobility");
  EXPECT_EQ(Targets(Route(rules, {"NO", {"dismissal"}, std::nullopt, {}}, Context()))[0], "fair_mobility");
}

TEST(Routing, ThirdCountryLabourLawGoesToCentreWithLanguages) {
  auto rules = DefaultRoutingRules();
  auto s = Route(rules, {"SY", {"wages", "dismissal"}, "10115", {}}, Context());
  ASSERT_EQ(Targets(s), std::vector<std::string>{"centre"});
  EXPECT_EQ(s[0].organisation_id, "centre-be-1");
  EXPECT_EQ(s[0].languages, (std::vector<std::string>{"de", "ar"}));
  EXPECT_EQ(s[0].topics, (std::vector<std::string>{"wages", "dismissal"}));
}

TEST(Routing, OutOfScopeTopics) {
  auto rules = DefaultRoutingRules();
  auto s = Route(rules, {"UA", {"job_search", "residence_status", "recognition"}, "10115", {}}, Context());
  EXPECT_EQ(Targets(s), (std::vector<std::string>{"employment_agency", "migration_counselling", "recognition_counselling"}));
  // The state's own migration counselling comes before the nationwide one.
  EXPECT_EQ(s[1].organisation_id, "partner-mbe-be");
}

TEST(Routing, OutOfScopeOnlyDoesNotSuggestCentre) {
  auto rules = DefaultRoutingRules();
  auto s = Route(rules, {"SY", {"job_search"}, "10115", {}}, Context());
  EXPECT_EQ(Targets(s), std::vector<std::string>{"employment_agency"});
}

TEST(Routing, ExtrasForExploitationDiscriminationAndUndeclaredWork) {
  auto rules = DefaultRoutingRules();
  auto s = Route(rules, {"VN", {"exploitation", "discrimination"}, "10115", {}}, Context());
  EXPECT_EQ(Targets(s), (std::vector<std::string>{"centre", "anti_trafficking", "anti_discrimination"}));
  auto u = Route(rules, {"VN", {"wages"}, "10115", {"undeclared_work"}}, Context());
  EXPECT_EQ(Targets(u), (std::vector<std::string>{"centre", "customs_fks"}));
  auto n = Route(rules, {"VN", {"wages"}, "10115", {}}, Context());
  EXPECT_EQ(Targets(n), std::vector<std::string>{"centre"});
}

TEST(Routing, NoCentreForPostcodeStillSuggestsTarget) {
  auto rules = DefaultRoutingRules();
  auto ctx = Context();
  ctx.centre.reset();
  auto s = Route(rules, {"SY", {"wages"}, std::nullopt, {}}, ctx);
  ASSERT_EQ(Targets(s), std::vector<std::string>{"centre"});
  EXPECT_FALSE(s[0].organisation_id);
}

TEST(Routing, RulesInOrderStopAndDisabled) {
  std::vector<RoutingRule> rules(3);
  rules[0].id = "a";
  rules[0].target = "trade_union";
  rules[0].topics = {"wages"};
  rules[0].enabled = false;
  rules[1].id = "b";
  rules[1].target = "labour_court";
  rules[1].topics = {"dismissal"};
  rules[1].stop = true;
  rules[2].id = "c";
  rules[2].target = "health_insurance";
  auto s = Route(rules, {"SY", {"wages", "dismissal"}, std::nullopt, {}}, Context());
  EXPECT_EQ(Targets(s), std::vector<std::string>{"labour_court"});
  rules[1].stop = false;
  s = Route(rules, {"SY", {"wages"}, std::nullopt, {}}, Context());
  EXPECT_EQ(Targets(s), std::vector<std::string>{"health_insurance"});
}

TEST(Routing, SameTargetMerged) {
  std::vector<RoutingRule> rules(2);
  rules[0].id = "a";
  rules[0].target = "anti_trafficking";
  rules[0].topics = {"exploitation"};
  rules[1].id = "b";
  rules[1].target = "anti_trafficking";
  rules[1].topics = {"wages"};
  auto s = Route(rules, {"SY", {"wages", "exploitation"}, std::nullopt, {}}, Context());
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].topics, (std::vector<std::string>{"exploitation", "wages"}));
}

TEST(Reference, Countries) {
  EXPECT_TRUE(IsCountryCode("DE"));
  EXPECT_TRUE(IsCountryCode("XK"));
  EXPECT_TRUE(IsCountryCode("ZW"));
  EXPECT_FALSE(IsCountryCode("XX"));
  EXPECT_FALSE(IsCountryCode("de"));
  EXPECT_FALSE(IsCountryCode("DEU"));
  EXPECT_TRUE(IsEuEeaSwiss("PL"));
  EXPECT_FALSE(IsEuEeaSwiss("GB"));
  EXPECT_FALSE(IsEuEeaSwiss("UA"));
  EXPECT_TRUE(IsWzSection("A"));
  EXPECT_TRUE(IsWzSection("U"));
  EXPECT_FALSE(IsWzSection("V"));
}

}  // namespace
}  // namespace fairdesk::cases
