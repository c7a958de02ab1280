#pragma once
/// Routes with path parameters ("/api/v1/cases/{id}") and per-route access rules. The route table
/// also feeds the OpenAPI document (ops module) and the metrics labels (the route pattern, never
/// the concrete path).

#include <boost/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "platform/http/request.hpp"

namespace fairdesk::http {

enum class Access {
  kPublic,    // no sign-in needed
  kSignedIn,  // any signed-in user; `roles` narrows it further when non-empty
};

/// Documentation of a route for OpenAPI 3.1.
struct RouteDoc {
  std::string summary;
  std::string tag;
  boost::json::value request_schema;   // null when the route takes no body
  boost::json::value response_schema;  // null: a generic object
  std::vector<std::string> query_params;
  int success_status = 200;
};

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
  Access access = Access::kSignedIn;
  std::vector<Role> roles;  // empty: every role
  std::size_t max_body_bytes = 1 << 20;
  RouteDoc doc;
  bool csrf = true;  // state-changing requests of signed-in users must carry X-CSRF-Token
  bool json_body = true;  // a body must be Content-Type application/json (415 otherwise)
  /// The handler may block (database, password hashing, encryption of uploads): it runs on the
  /// blocking pool. Handlers that only compute or answer from memory set this to false and run
  /// on the I/O thread, saving two thread hops.
  bool blocking = true;
  /// The handler hashes passwords (Argon2id, 64 MiB): it runs on the small hashing pool, so that
  /// a burst of sign-ins cannot occupy the threads every other request needs.
  bool hashing = false;
  /// The handler does much work per request (statistics tables, reports, exports, PDFs, files,
  /// calls to another server): it runs on the small pool for slow work, and a streamed answer
  /// makes its pieces there, so that a few of them cannot hold the threads the case work needs.
  bool slow = false;
  bool hidden = false;  // not in the OpenAPI document (static files)
  /// false: the authenticator is not asked at all, so no session is read or refreshed (the
  /// public portal's pages and APIs); the route must be kPublic.
  bool session = true;
  /// The route's own answer to a body over `max_body_bytes` (413), instead of problem+json: a
  /// form of the public portal answers with a page in the visitor's language.
  std::function<Response()> too_large;
};

/// Answers a GET or HEAD request that no route matched, before the web app's files (and their
/// client-side fallback to index.html) are asked; nullopt passes the request on. `label` names
/// the answer in metrics and logs (never the concrete path).
struct Fallback {
  std::string label;
  std::function<std::optional<Response>(const Request&)> handler;
};

struct Match {
  const Route* route = nullptr;
  std::map<std::string, std::string, std::less<>> params;
  std::vector<std::string> allowed_methods;  // when the path matched but the method did not
};

class Router {
 public:
  Route& Add(Route route);
  Route& Get(std::string pattern, Handler h) { return Add({"GET", std::move(pattern), std::move(h)}); }
  Route& Post(std::string pattern, Handler h) { return Add({"POST", std::move(pattern), std::move(h)}); }
  Route& Patch(std::string pattern, Handler h) { return Add({"PATCH", std::move(pattern), std::move(h)}); }
  Route& Put(std::string pattern, Handler h) { return Add({"PUT", std::move(pattern), std::move(h)}); }
  Route& Delete(std::string pattern, Handler h) { return Add({"DELETE", std::move(pattern), std::move(h)}); }

  Match Find(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }
  void AddFallback(Fallback fallback) { fallbacks_.push_back(std::move(fallback)); }
  const std::vector<Fallback>& fallbacks() const { return fallbacks_; }

 private:
  std::vector<Route> routes_;
  std::vector<Fallback> fallbacks_;
  // Each route's pattern split once at registration (same index as routes_): matching a request
  // compares segments instead of splitting every pattern again (profile of /healthz: 17 % of the
  // CPU in SplitPath, 30 % in malloc/free, with ~300 routes before it).
  struct Pattern {
    std::vector<std::string> segments;
    bool valid = false;
  };
  std::vector<Pattern> patterns_;
};

/// Splits "/a/b/c" into {"a","b","c"}; answers nullopt for ".", ".." or empty inner segments.
std::optional<std::vector<std::string_view>> SplitPath(std::string_view path);

}  // namespace fairdesk::http
