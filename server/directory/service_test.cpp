#include "directory/service.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "platform/db/migrations.hpp"

namespace fairdesk::directory {
namespace {

class DirectoryServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("fd_directory_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
    auto opened = db::Open("sqlite:" + path_.string());
    ASSERT_TRUE(opened) << opened.error().internal;
    db_ = std::move(*opened);
    ASSERT_TRUE(db::Migrate(*db_, Migrations()));
    service_ = std::make_unique<Service>(MakeSqlStore(*db_));
    auto st = service_->ImportSeedIfEmpty();
    ASSERT_TRUE(st) << st.error().internal;
  }
  void TearDown() override {
    service_.reset();
    db_.reset();
    std::filesystem::remove(path_);
  }
  std::filesystem::path path_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<Service> service_;
};

TEST_F(DirectoryServiceTest, SeedHasAnAdviceCentreInEveryState) {
  for (const auto& state : StateCodes()) {
    auto centres = service_->Centres({.state = state});
    ASSERT_TRUE(centres);
    bool advice = false;
    for (const auto& c : *centres) advice = advice || c.kind == "advice_centre";
    EXPECT_TRUE(advice) << state;
  }
}

TEST_F(DirectoryServiceTest, PostcodeFindsTheCentreOfItsState) {
  const std::pair<const char*, const char*> cases[] = {{"10115", "BE"}, {"80331", "BY"}, {"20095", "HH"}, {"01067", "SN"},
                                                       {"99084", "TH"}, {"66111", "SL"}, {"24103", "SH"}, {"14467", "BB"}};
  for (auto [postcode, state] : cases) {
    auto c = service_->CentreForPostcode(postcode);
    ASSERT_TRUE(c);
    ASSERT_TRUE(c->has_value()) << postcode;
    EXPECT_EQ((*c)->state, state) << postcode;
  }
}

TEST_F(DirectoryServiceTest, FiltersCombine) {
  auto all = service_->Centres({});
  auto arabic = service_->Centres({.language = "ar"});
  auto none = service_->Centres({.state = "BE", .postcode = "80331"});
  ASSERT_TRUE(all && arabic && none);
  EXPECT_GT(all->size(), arabic->size() - 1);
  for (const auto& c : *arabic) {
    EXPECT_NE(std::find(c.languages.begin(), c.languages.end(), "ar"), c.languages.end());
  }
  EXPECT_TRUE(none->empty());
}

TEST_F(DirectoryServiceTest, SecondImportChangesNothing) {
  auto before = service_->Organisations(std::nullopt);
  ASSERT_TRUE(service_->ImportSeedIfEmpty());
  auto after = service_->Organisations(std::nullopt);
  ASSERT_TRUE(before && after);
  EXPECT_EQ(before->size(), after->size());
}

TEST_F(DirectoryServiceTest, AdminEditIsVisibleImmediately) {
  auto c = service_->CentreById("centre-be-1");
  ASSERT_TRUE(c);
  c->languages.push_back("ti");
  ASSERT_TRUE(service_->SaveCentre(*c, false));
  auto ti = service_->Centres({.language = "ti", .postcode = "10115"});
  ASSERT_TRUE(ti);
  ASSERT_EQ(ti->size(), 1u);
  EXPECT_EQ(ti->front().id, "centre-be-1");
}

TEST_F(DirectoryServiceTest, UnknownParentIsRejectedAndNothingStored) {
  Organisation o{"org-test", "provider", "Test", "T", std::string("org-does-not-exist")};
  auto st = service_->SaveOrganisation(o, true);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::kInvalid);
  EXPECT_FALSE(service_->OrganisationById("org-test"));
}

TEST_F(DirectoryServiceTest, CentresJsonMatchesTheFilter) {
  auto page = service_->CentresJson({.state = "BY"});
  ASSERT_TRUE(page);
  auto v = boost::json::parse((*page)->json);
  for (const auto& item : v.at("items").as_array()) EXPECT_EQ(item.at("state").as_string(), "BY");
  EXPECT_TRUE(v.at("next_cursor").is_null());
}

TEST_F(DirectoryServiceTest, CentresJsonIsMadeOncePerSnapshotAndTaggedByItsBytes) {
  auto first = service_->CentresJson({.state = "BY"});
  auto again = service_->CentresJson({.state = "BY"});
  auto other = service_->CentresJson({.state = "BE"});
  ASSERT_TRUE(first && again && other);
  EXPECT_EQ(first->get(), again->get()) << "the same bytes, not made again";
  EXPECT_EQ((*first)->etag.front(), '"');
  EXPECT_NE((*first)->etag, (*other)->etag);
  // An edit makes a new snapshot: a new answer with a new tag.
  auto centre = service_->CentreById("centre-by-1");
  ASSERT_TRUE(centre) << centre.error().internal;
  centre->phone = "+49 89 1234567";
  ASSERT_TRUE(service_->SaveCentre(*centre, false));
  auto edited = service_->CentresJson({.state = "BY"});
  ASSERT_TRUE(edited);
  EXPECT_NE((*edited)->etag, (*first)->etag);
  EXPECT_NE((*edited)->json.find("+49 89 1234567"), std::string::npos);
}

}  // namespace
}  // namespace fairdesk::directory

namespace fairdesk::directory {
namespace {

TEST(DirectoryContactFields, Issue8_17_CentreContactFieldsAreChecked) {
  EXPECT_TRUE(IsWebsite("https://www.faire-integration.de/beratung"));
  EXPECT_TRUE(IsWebsite("http://example.org:8080/x?y=1"));
  for (const char* bad : {"javascript:alert(1)", "https://", "https://x", "ftp://example.org", "https://exa mple.org",
                          "https://example.org/\"onmouseover=", "https://.example.org", "//example.org",
                          "https://example..org", "https://<b>.org"}) {
    EXPECT_FALSE(IsWebsite(bad)) << bad;
  }
  EXPECT_TRUE(IsContactEmail("beratung@faire-integration.de"));
  for (const char* bad : {"beratung", "a@b", "a@@b.de", "a b@c.de", "a@c.de>", "<a@c.de>", "a@c.de,b@c.de", "@c.de"}) {
    EXPECT_FALSE(IsContactEmail(bad)) << bad;
  }
  EXPECT_TRUE(IsPhoneNumber("+49 30 1234567"));
  EXPECT_TRUE(IsPhoneNumber("(030) 123-45/67"));
  for (const char* bad : {"", "1234", "call me", "+49 30 12345 ext. 5", "030+123456", "1234567890123456789012"}) {
    EXPECT_FALSE(IsPhoneNumber(bad)) << bad;
  }
}

}  // namespace
}  // namespace fairdesk::directory
