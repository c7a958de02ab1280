#include "directory/routes.hpp"

#include "directory/postcodes.hpp"
#include "platform/core/body.hpp"
#include "platform/core/json_input.hpp"
#include "platform/crypto/crypto.hpp"

#include <unicode/uloc.h>

namespace fairdesk::directory {
namespace json = boost::json;
namespace {

bool IsPostcode(std::string_view s) {
  return s.size() == 5 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
bool IsLanguageCode(std::string_view s) {
  return (s.size() == 2 || s.size() == 3) && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}
// A language the finder can be asked for: an ISO 639 code that CLDR names ("ti", "prs", "so"),
// not merely the shape of one ("xx", "zz", "qaa"); "und", "mul", "zxx" name no language.
bool IsKnownLanguage(std::string_view s) {
  if (!IsLanguageCode(s) || s == "und" || s == "mul" || s == "zxx" || s == "mis") return false;
  const std::string code(s);
  UChar name[64];
  UErrorCode status = U_ZERO_ERROR;
  uloc_getDisplayLanguage(code.c_str(), "en", name, 64, &status);
  return status == U_ZERO_ERROR;  // U_USING_DEFAULT_WARNING: no name, the code came back as it was
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

bool IsState(std::string_view s) { return IsStateCode(s); }
bool IsLanguage(std::string_view s) { return IsLanguageCode(s); }
// An id chosen by the admin (organisations, locations); without one, one is made.
bool IsChosenId(std::string_view s) {
  return !s.empty() && s.front() != '-' && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}
constexpr const char* kNotAWebsite = "must be an http(s) URL with a host name";
constexpr const char* kNotAStateCode = "must be a federal state code";
constexpr body::TextRule kChosenId{.max = 64, .min = 3, .valid = IsChosenId,
                                   .invalid = "may contain only a-z, 0-9 and '-'", .pattern = "^[a-z0-9][a-z0-9-]*$"};
constexpr body::TextRule kTime{.max = 5, .min = 5, .valid = IsTime, .invalid = "must be a time HH:MM",
                               .pattern = "^[0-2][0-9]:[0-5][0-9]$"};
constexpr body::TextRule kPostcode{.max = 5, .min = 5, .valid = IsPostcode, .invalid = "must be five digits",
                                   .pattern = "^[0-9]{5}$"};
constexpr body::ListRule kLanguages{.max_items = 40, .max_len = 3, .valid = IsLanguage, .invalid = "must be an ISO 639 code"};

// The request bodies of the admin's directory writes, each declared once (platform/core/body.hpp):
// a POST reads a whole record (required fields enforced), a PATCH the fields sent onto the stored
// one (null clears an optional field); unknown fields are refused, every problem names its field.
const auto kOpeningHoursBody =
    body::Body<OpeningHours>()
        .Text("days", &OpeningHours::days, Need::kRequired, {.max = 40, .min = 1})
        .Text("from", &OpeningHours::from, Need::kRequired, kTime)
        .Text("to", &OpeningHours::to, Need::kRequired, kTime)
        .Rule("to", [](const OpeningHours& h) { return h.from < h.to; }, "must be after from");
const auto kPostcodeRangeBody =
    body::Body<PostcodeRange>()
        .Text("from", &PostcodeRange::from, Need::kRequired, kPostcode)
        .Text("to", &PostcodeRange::to, Need::kRequired, kPostcode)
        .Rule("to", [](const PostcodeRange& p) { return p.from <= p.to; }, "must not be before from");

// The address of a centre or a location (kept in its street, postcode and city).
template <typename T>
body::Body<T> AddressBody() {
  return body::Body<T>()
      .Text("street", &T::street, Need::kRequired, {.max = 200, .min = 1})
      .Text("postcode", &T::postcode, Need::kRequired, kPostcode)
      .Text("city", &T::city, Need::kRequired, {.max = 100, .min = 1});
}

// An organisation; `id` only when it is created.
body::Body<Organisation> OrganisationFields(body::Body<Organisation> b) {
  return b.Enum("kind", &Organisation::kind, Need::kRequired, kOrganisationKinds)
      .Text("name", &Organisation::name, Need::kRequired, {.max = 300, .min = 1})
      .Text("short_name", &Organisation::short_name, Need::kRequired, {.max = 100, .min = 1})
      .Text("parent_id", &Organisation::parent_id, Need::kOptional, {.max = 64, .min = 1})
      .Text("state", &Organisation::state, Need::kOptional,
            {.max = 2, .min = 2, .valid = IsState, .invalid = kNotAStateCode})
      .Text("description", &Organisation::description, Need::kOptional, {.max = 2000, .multiline = true})
      .Text("website", &Organisation::website, Need::kOptional, {.max = 300, .valid = IsWebsite, .invalid = kNotAWebsite})
      .Bool("demo", &Organisation::demo, Need::kOptional);
}
const auto kOrganisationBody = OrganisationFields(body::Body<Organisation>());
const auto kNewOrganisationBody =
    OrganisationFields(body::Body<Organisation>().Text("id", &Organisation::id, Need::kOptional, kChosenId));

// An advice centre: one body for creating and changing it (its id is always made here).
const auto kCentreBody =
    body::Body<Centre>()
        .Enum("kind", &Centre::kind, Need::kOptional, kCentreKinds)
        .Text("name", &Centre::name, Need::kRequired, {.max = 300, .min = 1})
        .Text("state", &Centre::state, Need::kRequired, {.max = 2, .min = 2, .valid = IsState, .invalid = kNotAStateCode})
        .Text("provider", &Centre::provider, Need::kRequired, {.max = 300, .min = 1})
        .Bool("demo", &Centre::demo, Need::kOptional)
        .Text("network_id", &Centre::network_id, Need::kOptional, {.max = 64, .min = 1})
        .Nested("address", Need::kRequired, AddressBody<Centre>())
        // Contact fields are checked like the organisations' (issue 8 #17).
        .Text("phone", &Centre::phone, Need::kOptional,
              {.max = 300, .valid = IsPhoneNumber, .invalid = "must be a phone number (digits, optional leading +)"})
        .Text("email", &Centre::email, Need::kOptional,
              {.max = 300, .valid = IsContactEmail, .invalid = "must be an e-mail address"})
        .Text("website", &Centre::website, Need::kOptional, {.max = 300, .valid = IsWebsite, .invalid = kNotAWebsite})
        .Texts("languages", &Centre::languages, Need::kRequired, kLanguages)
        .Enums("channels", &Centre::channels, Need::kRequired, kChannels, {.max_items = 6})
        .Objects("opening_hours", &Centre::opening_hours, Need::kOptional, kOpeningHoursBody, {.max_items = 14})
        .Objects("postcode_ranges", &Centre::postcode_ranges, Need::kOptional, kPostcodeRangeBody, {.max_items = 200});

// A location of a centre; `id` only when it is created.
body::Body<Location> LocationFields(body::Body<Location> b) {
  return b.Text("name", &Location::name, Need::kRequired, {.max = 200, .min = 1})
      .Nested("address", Need::kRequired, AddressBody<Location>())
      .Text("phone", &Location::phone, Need::kOptional, {.max = 300})
      .Text("email", &Location::email, Need::kOptional, {.max = 300})
      .Texts("languages", &Location::languages, Need::kRequired, kLanguages)
      .Enums("channels", &Location::channels, Need::kRequired, kChannels, {.max_items = 6})
      .Objects("opening_hours", &Location::opening_hours, Need::kOptional, kOpeningHoursBody, {.max_items = 14});
}
const auto kLocationBody = LocationFields(body::Body<Location>());
const auto kNewLocationBody =
    LocationFields(body::Body<Location>().Text("id", &Location::id, Need::kOptional, kChosenId));

template <typename T>
http::Response ListJson(const std::vector<T>& items) {
  json::array a;
  for (const auto& i : items) a.push_back(ToJson(i));
  return http::Response::Json(json::object{{"items", std::move(a)}, {"next_cursor", nullptr}});
}

// An admin's create (POST `collection`) and change (PATCH `collection/{id}`) of one kind of directory
// record (`what`: "an advice centre"): a new record is read by `create_body` and completed by
// `complete` (its id, defaults), a change applies `patch_body` to the stored record from
// `load(id)`; `save(record, creating)` checks and stores it, and the answer is the record as saved.
template <typename T, typename Load, typename Complete, typename Save>
void RegisterAdminWrites(http::Router& router, const std::string& collection, const std::string& what,
                         const body::Body<T>& create_body, const body::Body<T>& patch_body, Load load,
                         Complete complete, Save save) {
  auto& create = router.Post(collection, [&create_body, complete, save](http::Request& req) -> Result<http::Response> {
    T record = FD_TRY(create_body.Parse(req.body));
    complete(record);
    FD_TRY_VOID(save(record, true));
    return http::Response::Json(ToJson(record), 201);
  });
  create.roles = {Role::kAdmin};
  create.doc = {"Create " + what + " (admin)", "directory", create_body.Schema(), nullptr, {}, 201};

  auto& change = router.Patch(collection + "/{id}", [&patch_body, load, save](http::Request& req) -> Result<http::Response> {
    T record = FD_TRY(load(req.Param("id")));
    auto body = FD_TRY(ParseJsonBody(req.body));
    FD_TRY_VOID(patch_body.Apply(body, record));
    FD_TRY_VOID(save(record, false));
    return http::Response::Json(ToJson(record));
  });
  change.roles = {Role::kAdmin};
  change.doc = {"Change " + what + " (admin)", "directory", patch_body.Schema(body::Mode::kPatch)};
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
    else if (!IsKnownLanguage(*s)) errors.push_back({"language", "is not a known language (ISO 639)"});
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
      router, "/api/v1/centres", "an advice centre", kCentreBody, kCentreBody,
      [&service](std::string_view id) { return service.CentreById(id); },
      [](Centre& c) {
        c.id = crypto::NewId("centre");
        if (c.kind.empty()) c.kind = "advice_centre";
      },
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
    Location l = FD_TRY(kNewLocationBody.Parse(req.body));
    l.centre_id = req.Param("id");
    if (l.id.empty()) l.id = crypto::NewId("loc");
    FD_TRY_VOID(service.SaveLocation(l, true));
    return http::Response::Json(ToJson(FD_TRY(service.LocationById(l.centre_id, l.id))), 201);
  });
  create_location.roles = {Role::kAdmin};
  create_location.doc = {"Add a location to an advice centre (admin)", "directory", kNewLocationBody.Schema(), nullptr, {}, 201};

  auto& patch_location = router.Patch("/api/v1/centres/{id}/locations/{location_id}",
                                      [&service](http::Request& req) -> Result<http::Response> {
    Location l = FD_TRY(service.LocationById(req.Param("id"), req.Param("location_id")));
    auto body = FD_TRY(ParseJsonBody(req.body));
    FD_TRY_VOID(kLocationBody.Apply(body, l));
    FD_TRY_VOID(service.SaveLocation(l, false));
    return http::Response::Json(ToJson(l));
  });
  patch_location.roles = {Role::kAdmin};
  patch_location.doc = {"Change a location of an advice centre (admin)", "directory",
                        kLocationBody.Schema(body::Mode::kPatch)};

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
      router, "/api/v1/organisations", "an organisation", kNewOrganisationBody, kOrganisationBody,
      [&service](std::string_view id) { return service.OrganisationById(id); },
      [](Organisation& o) {
        if (o.id.empty()) o.id = crypto::NewId("org");
      },
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
