#include "directory/routes.hpp"

#include <regex>
#include <tuple>

#include "directory/postcodes.hpp"
#include "platform/core/json_input.hpp"
#include "platform/crypto/crypto.hpp"

namespace fairdesk::directory {
namespace json = boost::json;
namespace {

bool IsPostcode(std::string_view s) {
  return s.size() == 5 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
bool IsLanguageCode(std::string_view s) {
  return (s.size() == 2 || s.size() == 3) && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}
bool IsTime(std::string_view s) {
  return s.size() == 5 && s[2] == ':' && std::isdigit(s[0]) && std::isdigit(s[1]) && std::isdigit(s[3]) &&
         std::isdigit(s[4]) && (s[0] - '0') * 10 + (s[1] - '0') < 24 && s[3] < '6';
}

// If-None-Match (RFC 9110 §13.1.2): "*" or a list of tags; weak tags compare by their value.
bool EtagMatches(const std::optional<std::string>& header, std::string_view etag) {
  if (!header) return false;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view tag = rest.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

Result<CentreFilter> ReadFilter(const http::Request& req) {
  CentreFilter f;
  std::vector<FieldError> errors;
  for (const auto& [k, v] : req.query) {
    if (k != "state" && k != "language" && k != "postcode" && k != "limit" && k != "cursor") {
      errors.push_back({k.substr(0, 64), "unknown query parameter"});
    }
  }
  if (auto s = req.Query("state"); s && !s->empty()) {
    if (!IsStateCode(*s)) errors.push_back({"state", "must be a federal state code (BW, BY, BE, ...)"});
    f.state = *s;
  }
  if (auto s = req.Query("language"); s && !s->empty()) {
    if (!IsLanguageCode(*s)) errors.push_back({"language", "must be an ISO 639 language code"});
    f.language = *s;
  }
  if (auto s = req.Query("postcode"); s && !s->empty()) {
    if (!IsPostcode(*s)) errors.push_back({"postcode", "must be five digits"});
    f.postcode = *s;
  }
  auto number = [](const std::string& s, std::size_t max) -> std::optional<std::size_t> {
    if (s.empty() || s.size() > 6 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    std::size_t n = std::stoul(s);
    if (n > max) return std::nullopt;
    return n;
  };
  if (auto s = req.Query("limit")) {
    auto n = number(*s, 200);
    if (!n || *n == 0) errors.push_back({"limit", "must be a number from 1 to 200"});
    else f.limit = *n;
  }
  if (auto s = req.Query("cursor"); s && !s->empty()) {
    auto n = number(*s, 100000);
    if (!n) errors.push_back({"cursor", "is not a cursor of this list"});
    else f.offset = *n;
  }
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return f;
}

std::optional<std::string> ReadKind(const http::Request& req, std::span<const std::string_view> allowed,
                                    std::vector<FieldError>& errors) {
  auto k = req.Query("kind");
  if (!k || k->empty()) return std::nullopt;
  if (std::find(allowed.begin(), allowed.end(), *k) == allowed.end()) errors.push_back({"kind", "is not a known kind"});
  return k;
}

// Reads an organisation from a POST (all required) or PATCH (only given fields) body.
Result<Organisation> ReadOrganisation(const json::value& body, Organisation o, bool create) {
  JsonReader r(body);
  Need need = create ? Need::kRequired : Need::kOptional;
  if (create) {
    if (auto id = r.String("id", Need::kOptional, 64, 3)) o.id = *id;
    else o.id = crypto::NewId("org");
  }
  if (auto v = r.Enum("kind", need, kOrganisationKinds)) o.kind = *v;
  if (auto v = r.String("name", need, 300, 1)) o.name = *v;
  if (auto v = r.String("short_name", need, 100, 1)) o.short_name = *v;
  if (r.IsNull("parent_id")) o.parent_id.reset();
  else if (auto v = r.String("parent_id", Need::kOptional, 64, 1)) o.parent_id = *v;
  if (r.IsNull("state")) o.state.reset();
  else if (auto v = r.String("state", Need::kOptional, 2, 2)) {
    if (!IsStateCode(*v)) r.AddError("state", "must be a federal state code");
    o.state = *v;
  }
  if (r.IsNull("description")) o.description.reset();
  else if (auto v = r.String("description", Need::kOptional, 2000)) o.description = *v;
  if (r.IsNull("website")) o.website.reset();
  else if (auto v = r.String("website", Need::kOptional, 300)) {
    if (!IsWebsite(*v)) r.AddError("website", "must be an http(s) URL with a host name");
    o.website = *v;
  }
  if (auto v = r.Bool("demo", Need::kOptional)) o.demo = *v;
  if (create && r.Has("id") && r.Ok()) {
    static const std::regex kId("^[a-z0-9][a-z0-9-]*$");
    if (!std::regex_match(o.id, kId)) r.AddError("id", "may contain only a-z, 0-9 and '-'");
  }
  FD_TRY_VOID(r.Finish());
  return o;
}

Result<Centre> ReadCentre(const json::value& body, Centre c, bool create) {
  JsonReader r(body);
  Need need = create ? Need::kRequired : Need::kOptional;
  if (create) c.id = crypto::NewId("centre");
  if (auto v = r.Enum("kind", Need::kOptional, kCentreKinds)) c.kind = *v;
  else if (create) c.kind = "advice_centre";
  if (auto v = r.String("name", need, 300, 1)) c.name = *v;
  if (auto v = r.String("state", need, 2, 2)) {
    if (!IsStateCode(*v)) r.AddError("state", "must be a federal state code");
    c.state = *v;
  }
  if (auto v = r.String("provider", need, 300, 1)) c.provider = *v;
  if (auto v = r.Bool("demo", Need::kOptional)) c.demo = *v;
  if (r.IsNull("network_id")) c.network_id.reset();
  else if (auto v = r.String("network_id", Need::kOptional, 64, 1)) c.network_id = *v;
  if (auto a = r.Object("address", need)) {
    Need an = create ? Need::kRequired : Need::kOptional;
    if (auto v = a->String("street", an, 200, 1)) c.street = *v;
    if (auto v = a->String("postcode", an, 5, 5)) {
      if (!IsPostcode(*v)) a->AddError(a->PathOf("postcode"), "must be five digits");
      c.postcode = *v;
    }
    if (auto v = a->String("city", an, 100, 1)) c.city = *v;
    a->CheckUnknown();
  }
  // Contact fields are checked like the organisations' (issue 8 #17).
  using Check = bool (*)(std::string_view);
  for (auto [key, field, check, message] :
       {std::tuple{"phone", &c.phone, Check{IsPhoneNumber}, "must be a phone number (digits, optional leading +)"},
        std::tuple{"email", &c.email, Check{IsContactEmail}, "must be an e-mail address"},
        std::tuple{"website", &c.website, Check{IsWebsite}, "must be an http(s) URL with a host name"}}) {
    if (r.IsNull(key)) field->reset();
    else if (auto v = r.String(key, Need::kOptional, 300)) {
      if (!check(*v)) r.AddError(key, message);
      *field = *v;
    }
  }
  if (auto v = r.StringArray("languages", need, 40, 3)) {
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (!IsLanguageCode((*v)[i])) r.AddError("languages[" + std::to_string(i) + "]", "must be an ISO 639 code");
    }
    c.languages = *v;
  }
  if (auto v = r.EnumArray("channels", need, kChannels, 6)) c.channels = *v;
  if (const auto* arr = r.Array("opening_hours", Need::kOptional, 14)) {
    c.opening_hours.clear();
    for (std::size_t i = 0; i < arr->size(); ++i) {
      JsonReader h((*arr)[i], "opening_hours[" + std::to_string(i) + "]", r.Errors());
      auto days = h.String("days", Need::kRequired, 40, 1);
      auto from = h.String("from", Need::kRequired, 5, 5);
      auto to = h.String("to", Need::kRequired, 5, 5);
      if (from && !IsTime(*from)) h.AddError(h.PathOf("from"), "must be a time HH:MM");
      if (to && !IsTime(*to)) h.AddError(h.PathOf("to"), "must be a time HH:MM");
      if (from && to && *from >= *to) h.AddError(h.PathOf("to"), "must be after from");
      h.CheckUnknown();
      if (days && from && to) c.opening_hours.push_back({*days, *from, *to});
    }
  }
  if (const auto* arr = r.Array("postcode_ranges", Need::kOptional, 200)) {
    c.postcode_ranges.clear();
    for (std::size_t i = 0; i < arr->size(); ++i) {
      JsonReader h((*arr)[i], "postcode_ranges[" + std::to_string(i) + "]", r.Errors());
      auto from = h.String("from", Need::kRequired, 5, 5);
      auto to = h.String("to", Need::kRequired, 5, 5);
      if (from && !IsPostcode(*from)) h.AddError(h.PathOf("from"), "must be five digits");
      if (to && !IsPostcode(*to)) h.AddError(h.PathOf("to"), "must be five digits");
      if (from && to && *from > *to) h.AddError(h.PathOf("to"), "must not be before from");
      h.CheckUnknown();
      if (from && to) c.postcode_ranges.push_back({*from, *to});
    }
  }
  FD_TRY_VOID(r.Finish());
  return c;
}

Result<Location> ReadLocation(const json::value& body, Location l, bool create) {
  JsonReader r(body);
  Need need = create ? Need::kRequired : Need::kOptional;
  if (create) {
    if (auto id = r.String("id", Need::kOptional, 64, 3)) {
      static const std::regex kId("^[a-z0-9][a-z0-9-]*$");
      if (!std::regex_match(*id, kId)) r.AddError("id", "may contain only a-z, 0-9 and '-'");
      l.id = *id;
    } else {
      l.id = crypto::NewId("loc");
    }
  }
  if (auto v = r.String("name", need, 200, 1)) l.name = *v;
  if (auto a = r.Object("address", need)) {
    Need an = create ? Need::kRequired : Need::kOptional;
    if (auto v = a->String("street", an, 200, 1)) l.street = *v;
    if (auto v = a->String("postcode", an, 5, 5)) {
      if (!IsPostcode(*v)) a->AddError(a->PathOf("postcode"), "must be five digits");
      l.postcode = *v;
    }
    if (auto v = a->String("city", an, 100, 1)) l.city = *v;
    a->CheckUnknown();
  }
  for (auto [key, field] : {std::pair{"phone", &l.phone}, std::pair{"email", &l.email}}) {
    if (r.IsNull(key)) field->reset();
    else if (auto v = r.String(key, Need::kOptional, 300)) *field = *v;
  }
  if (auto v = r.StringArray("languages", need, 40, 3)) {
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (!IsLanguageCode((*v)[i])) r.AddError("languages[" + std::to_string(i) + "]", "must be an ISO 639 code");
    }
    l.languages = *v;
  }
  if (auto v = r.EnumArray("channels", need, kChannels, 6)) l.channels = *v;
  if (const auto* arr = r.Array("opening_hours", Need::kOptional, 14)) {
    l.opening_hours.clear();
    for (std::size_t i = 0; i < arr->size(); ++i) {
      JsonReader h((*arr)[i], "opening_hours[" + std::to_string(i) + "]", r.Errors());
      auto days = h.String("days", Need::kRequired, 40, 1);
      auto from = h.String("from", Need::kRequired, 5, 5);
      auto to = h.String("to", Need::kRequired, 5, 5);
      if (from && !IsTime(*from)) h.AddError(h.PathOf("from"), "must be a time HH:MM");
      if (to && !IsTime(*to)) h.AddError(h.PathOf("to"), "must be a time HH:MM");
      if (from && to && *from >= *to) h.AddError(h.PathOf("to"), "must be after from");
      h.CheckUnknown();
      if (days && from && to) l.opening_hours.push_back({*days, *from, *to});
    }
  }
  FD_TRY_VOID(r.Finish());
  return l;
}

json::value LocationSchema() {
  return json::parse(R"({"type":"object","required":["name","address","languages","channels"],
    "properties":{"id":{"type":"string"},"name":{"type":"string"},
    "address":{"type":"object","properties":{"street":{"type":"string"},"postcode":{"type":"string"},"city":{"type":"string"}}},
    "phone":{"type":["string","null"]},"email":{"type":["string","null"]},
    "languages":{"type":"array","items":{"type":"string"}},"channels":{"type":"array","items":{"type":"string"}},
    "opening_hours":{"type":"array"}},"additionalProperties":false})");
}

json::value CentreSchema() {
  return json::parse(R"({"type":"object","required":["name","state","provider","address","languages","channels"],
    "properties":{"kind":{"enum":["advice_centre","competence_centre"]},"name":{"type":"string"},"state":{"type":"string"},
    "provider":{"type":"string"},"demo":{"type":"boolean"},"network_id":{"type":["string","null"]},
    "address":{"type":"object","properties":{"street":{"type":"string"},"postcode":{"type":"string"},"city":{"type":"string"}}},
    "phone":{"type":["string","null"]},"email":{"type":["string","null"]},"website":{"type":["string","null"]},
    "languages":{"type":"array","items":{"type":"string"}},"channels":{"type":"array","items":{"type":"string"}},
    "opening_hours":{"type":"array"},"postcode_ranges":{"type":"array"}},"additionalProperties":false})");
}

json::value OrganisationSchema() {
  return json::parse(R"({"type":"object","required":["kind","name","short_name"],
    "properties":{"id":{"type":"string"},"kind":{"type":"string"},"name":{"type":"string"},"short_name":{"type":"string"},
    "parent_id":{"type":["string","null"]},"state":{"type":["string","null"]},"description":{"type":["string","null"]},
    "website":{"type":["string","null"]},"demo":{"type":"boolean"}},"additionalProperties":false})");
}

template <typename T>
http::Response ListJson(const std::vector<T>& items) {
  json::array a;
  for (const auto& i : items) a.push_back(ToJson(i));
  return http::Response::Json(json::object{{"items", std::move(a)}, {"next_cursor", nullptr}});
}

// An admin's create (POST `collection`) and change (PATCH `collection/{id}`) of one kind of directory
// record (`what`: "an advice centre"): the body is read by `read(body, base, creating)` onto an empty
// record or the stored one from `load(id)`, `save(record, creating)` checks and stores it, and the
// answer is the record as saved.
template <typename T, typename Load, typename Read, typename Save>
void RegisterAdminWrites(http::Router& router, const std::string& collection, const std::string& what,
                         json::value schema, Load load, Read read, Save save) {
  auto& create = router.Post(collection, [read, save](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(ParseJsonBody(req.body));
    T record = FD_TRY(read(body, T{}, true));
    FD_TRY_VOID(save(record, true));
    return http::Response::Json(ToJson(record), 201);
  });
  create.roles = {Role::kAdmin};
  create.doc = {"Create " + what + " (admin)", "directory", schema, nullptr, {}, 201};

  auto& change = router.Patch(collection + "/{id}", [load, read, save](http::Request& req) -> Result<http::Response> {
    T existing = FD_TRY(load(req.Param("id")));
    auto body = FD_TRY(ParseJsonBody(req.body));
    T record = FD_TRY(read(body, existing, false));
    FD_TRY_VOID(save(record, false));
    return http::Response::Json(ToJson(record));
  });
  change.roles = {Role::kAdmin};
  change.doc = {"Change " + what + " (admin)", "directory", std::move(schema)};
}
}  // namespace

Result<FinderQuery> ReadFinderQuery(const http::Request& req) {
  FinderQuery q;
  std::vector<FieldError> errors;
  for (const auto& [k, v] : req.query) {
    if (k != "postcode" && k != "language" && k != "abroad") errors.push_back({k.substr(0, 64), "unknown query parameter"});
  }
  if (auto s = req.Query("postcode"); s && !s->empty()) {
    if (s->size() > 100) {
      errors.push_back({"postcode", "is too long"});
    } else if (IsPostcode(*s)) {
      if (!PostcodeLocation(*s)) errors.push_back({"postcode", "is not a German postcode"});
      q.postcode = *s;
    } else if (auto code = PostcodeOfPlace(*s)) {
      q.postcode = *code;  // a place name: its first postcode
    } else {
      errors.push_back({"postcode", "is neither a German postcode nor a known place"});
    }
  }
  if (auto s = req.Query("language"); s && !s->empty()) {
    if (!IsLanguageCode(*s)) errors.push_back({"language", "must be an ISO 639 language code"});
    q.language = *s;
  }
  if (auto s = req.Query("abroad"); s && !s->empty()) {
    if (*s == "1" || *s == "true" || *s == "on") q.abroad = true;
    else if (*s != "0" && *s != "false") errors.push_back({"abroad", "must be 1 or 0"});
  }
  if (q.abroad) q.postcode.reset();  // abroad: no workplace or home postcode in Germany
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return q;
}

void RegisterRoutes(http::Router& router, Service& service) {
  using http::Access;
  auto& centres = router.Get("/api/v1/centres", [&service](http::Request& req) -> Result<http::Response> {
    auto filter = FD_TRY(ReadFilter(req));
    auto page = FD_TRY(service.CentresJson(filter));
    http::Response r;
    // The answer made once per snapshot, with its tag: a client that has it gets 304 and no body.
    if (EtagMatches(req.Header("if-none-match"), page->etag)) {
      r.status = 304;
      r.content_type.clear();
    } else {
      r.body = page->json;
    }
    r.headers.reserve(2);
    r.headers.emplace_back("ETag", page->etag);
    r.headers.emplace_back("Cache-Control", "no-cache");  // kept, but asked again every time
    return r;
  });
  centres.access = Access::kPublic;
  centres.session = false;   // the same public answer for everyone: no session is read
  centres.blocking = false;  // answered from the in-memory snapshot
  centres.doc = {"Advice centres, filtered by state, language and postcode", "directory", nullptr, nullptr,
                 {"state", "language", "postcode"}};

  auto& centre = router.Get("/api/v1/centres/{id}", [&service](http::Request& req) -> Result<http::Response> {
    auto c = FD_TRY(service.CentreById(req.Param("id")));
    return http::Response::Json(ToJson(c));
  });
  centre.access = Access::kPublic;
  centre.doc = {"One advice centre", "directory"};

  RegisterAdminWrites<Centre>(
      router, "/api/v1/centres", "an advice centre", CentreSchema(),
      [&service](std::string_view id) { return service.CentreById(id); }, ReadCentre,
      [&service](const Centre& c, bool creating) { return service.SaveCentre(c, creating); });

  auto& finder = router.Get("/api/v1/public/centres", [&service](http::Request& req) -> Result<http::Response> {
    auto q = FD_TRY(ReadFinderQuery(req));
    json::array items;
    for (const auto& f : FD_TRY(service.FindLocations(q))) items.push_back(ToJson(f));
    json::object out{{"items", std::move(items)}};
    if (q.postcode) out["postcode"] = json::object{{"code", *q.postcode}, {"place", PostcodePlace(*q.postcode)}};
    return http::Response::Json(out).With("Cache-Control", "public, max-age=300");
  });
  finder.access = Access::kPublic;
  finder.session = false;
  finder.blocking = false;
  finder.doc = {"Public finder: advice-centre locations nearest to a postcode or place, by language, or for people "
                "abroad (no sign-in; no session read)",
                "directory", nullptr, nullptr, {"postcode", "language", "abroad"}};

  auto& locations = router.Get("/api/v1/centres/{id}/locations", [&service](http::Request& req) -> Result<http::Response> {
    auto c = FD_TRY(service.CentreById(req.Param("id")));
    json::array a;
    for (const auto& l : c.locations) a.push_back(ToJson(l));
    return http::Response::Json(json::object{{"items", std::move(a)}, {"next_cursor", nullptr}});
  });
  locations.access = Access::kPublic;
  locations.blocking = false;
  locations.doc = {"The locations of an advice centre", "directory"};

  auto& create_location = router.Post("/api/v1/centres/{id}/locations", [&service](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(service.CentreById(req.Param("id")));
    auto body = FD_TRY(ParseJsonBody(req.body));
    Location l;
    l.centre_id = req.Param("id");
    l = FD_TRY(ReadLocation(body, l, true));
    FD_TRY_VOID(service.SaveLocation(l, true));
    return http::Response::Json(ToJson(FD_TRY(service.LocationById(l.centre_id, l.id))), 201);
  });
  create_location.roles = {Role::kAdmin};
  create_location.doc = {"Add a location to an advice centre (admin)", "directory", LocationSchema(), nullptr, {}, 201};

  auto& patch_location = router.Patch("/api/v1/centres/{id}/locations/{location_id}",
                                      [&service](http::Request& req) -> Result<http::Response> {
    auto existing = FD_TRY(service.LocationById(req.Param("id"), req.Param("location_id")));
    auto body = FD_TRY(ParseJsonBody(req.body));
    Location l = FD_TRY(ReadLocation(body, existing, false));
    FD_TRY_VOID(service.SaveLocation(l, false));
    return http::Response::Json(ToJson(l));
  });
  patch_location.roles = {Role::kAdmin};
  patch_location.doc = {"Change a location of an advice centre (admin)", "directory", LocationSchema()};

  auto& delete_location = router.Delete("/api/v1/centres/{id}/locations/{location_id}",
                                        [&service](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(service.DeleteLocation(req.Param("id"), req.Param("location_id")));
    return http::Response::NoContent();
  });
  delete_location.roles = {Role::kAdmin};
  delete_location.doc = {"Remove a location of an advice centre (admin; a centre keeps at least one)", "directory"};

  auto& orgs = router.Get("/api/v1/organisations", [&service](http::Request& req) -> Result<http::Response> {
    std::vector<FieldError> errors;
    auto kind = ReadKind(req, kOrganisationKinds, errors);
    if (!errors.empty()) return Fail(Error::Invalid(errors));
    return ListJson(FD_TRY(service.Organisations(kind)));
  });
  orgs.access = Access::kPublic;
  orgs.doc = {"The IQ programme, its funders and partners, networks and specialist units", "directory", nullptr,
              nullptr, {"kind"}};

  auto& org = router.Get("/api/v1/organisations/{id}", [&service](http::Request& req) -> Result<http::Response> {
    return http::Response::Json(ToJson(FD_TRY(service.OrganisationById(req.Param("id")))));
  });
  org.access = Access::kPublic;
  org.doc = {"One organisation", "directory"};

  RegisterAdminWrites<Organisation>(
      router, "/api/v1/organisations", "an organisation", OrganisationSchema(),
      [&service](std::string_view id) { return service.OrganisationById(id); }, ReadOrganisation,
      [&service](const Organisation& o, bool creating) { return service.SaveOrganisation(o, creating); });

  auto& partners = router.Get("/api/v1/partners", [&service](http::Request& req) -> Result<http::Response> {
    std::vector<FieldError> errors;
    auto kind = ReadKind(req, kPartnerKinds, errors);
    auto state = req.Query("state");
    if (state && !state->empty() && !IsStateCode(*state)) errors.push_back({"state", "must be a federal state code"});
    if (state && state->empty()) state.reset();
    if (!errors.empty()) return Fail(Error::Invalid(errors));
    return ListJson(FD_TRY(service.Partners(kind, state)));
  });
  partners.access = Access::kPublic;
  partners.doc = {"Partner organisations that cases are referred to", "directory", nullptr, nullptr, {"kind", "state"}};

  auto& networks = router.Get("/api/v1/networks", [&service](http::Request&) -> Result<http::Response> {
    return ListJson(FD_TRY(service.Networks()));
  });
  networks.access = Access::kPublic;
  networks.doc = {"Regional IQ networks", "directory"};
}

}  // namespace fairdesk::directory
