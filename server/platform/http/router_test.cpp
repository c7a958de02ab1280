// Router matching: literal and parameter segments, method fallbacks (HEAD -> GET, 405 with the
// allowed methods), registration order, and paths that are refused before any route is tried.
#include "platform/http/router.hpp"

#include <gtest/gtest.h>

namespace fairdesk::http {
namespace {

Handler Nothing() {
  return [](Request&) -> Result<Response> { return Response::Json(boost::json::object{}); };
}

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router router;
  router.Get("/api/v1/cases", Nothing());
  router.Get("/api/v1/cases/{id}", Nothing());
  router.Post("/api/v1/cases/{id}/deadlines", Nothing());
  router.Get("/healthz", Nothing());

  auto list = router.Find("GET", "/api/v1/cases");
  ASSERT_NE(list.route, nullptr);
  EXPECT_EQ(list.route->pattern, "/api/v1/cases");
  EXPECT_TRUE(list.params.empty());

  auto one = router.Find("GET", "/api/v1/cases/case_42");
  ASSERT_NE(one.route, nullptr);
  EXPECT_EQ(one.route->pattern, "/api/v1/cases/{id}");
  EXPECT_EQ(one.params.at("id"), "case_42");

  auto post = router.Find("POST", "/api/v1/cases/case_7/deadlines");
  ASSERT_NE(post.route, nullptr);
  EXPECT_EQ(post.params.at("id"), "case_7");

  auto last = router.Find("GET", "/healthz");  // registered after the others
  ASSERT_NE(last.route, nullptr);
  EXPECT_EQ(last.route->pattern, "/healthz");
  EXPECT_EQ(router.Find("HEAD", "/healthz").route, last.route);

  EXPECT_EQ(router.Find("GET", "/api/v1/case").route, nullptr);
  EXPECT_EQ(router.Find("GET", "/api/v1/cases/a/b").route, nullptr);
}

TEST(Router, NamesTheAllowedMethodsWhenOnlyThePathMatches) {
  Router router;
  router.Get("/api/v1/centres/{id}", Nothing());
  router.Patch("/api/v1/centres/{id}", Nothing());
  router.Delete("/api/v1/centres/{id}", Nothing());
  auto m = router.Find("POST", "/api/v1/centres/c1");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"GET", "PATCH", "DELETE"}));
  auto found = router.Find("PATCH", "/api/v1/centres/c1");
  ASSERT_NE(found.route, nullptr);
  EXPECT_TRUE(found.allowed_methods.empty());
}

TEST(Router, RefusesDotSegmentsAndEmptyInnerSegments) {
  Router router;
  router.Get("/api/v1/documents/{id}", Nothing());
  for (const char* path : {"/api/v1/documents/..", "/api/v1/documents/.", "/api//documents/x", "api/v1/documents/x", ""}) {
    auto m = router.Find("GET", path);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_TRUE(m.allowed_methods.empty()) << path;
  }
  // A trailing slash is the same path.
  EXPECT_NE(router.Find("GET", "/api/v1/documents/x/").route, nullptr);
}

}  // namespace
}  // namespace fairdesk::http
