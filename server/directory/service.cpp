#include "directory/service.hpp"

#include <algorithm>
#include <cmath>
#include <cctype>
#include <cstdint>
#include <cstdio>

#include "directory/postcodes.hpp"
#include "platform/log/log.hpp"

namespace fairdesk::embedded {
extern const std::string_view kDirectorySeed;
extern const std::string_view kLocationsSeed;
}

namespace fairdesk::directory {
namespace json = boost::json;
namespace {


const std::vector<std::string> kStates = {"BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV",
                                          "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"};

json::value OptJson(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }

json::array StringsJson(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::optional<std::string> OptString(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::nullopt;
  return std::string(it->value().as_string());
}

std::vector<std::string> Strings(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (auto it = o.find(key); it != o.end()) {
    for (const auto& v : it->value().as_array()) out.emplace_back(v.as_string());
  }
  return out;
}

bool Contains(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

bool Serves(const Centre& c, std::string_view postcode) {
  return std::any_of(c.postcode_ranges.begin(), c.postcode_ranges.end(),
                     [&](const PostcodeRange& r) { return r.from <= postcode && postcode <= r.to; });
}

std::string FilterKey(const CentreFilter& f) {
  return f.state.value_or("") + "|" + f.language.value_or("") + "|" + f.postcode.value_or("") + "|" +
         std::to_string(f.offset) + "|" + std::to_string(f.limit);
}

// A strong entity tag from the bytes of an answer: FNV-1a, 64 bits (not a security measure; it
// only has to change when the answer does).
std::string EntityTag(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  char tag[24];
  std::snprintf(tag, sizeof tag, "\"%016llx\"", static_cast<unsigned long long>(h));
  return tag;
}

}  // namespace

const std::vector<std::string>& StateCodes() { return kStates; }
bool IsStateCode(std::string_view code) { return Contains(kStates, code); }

namespace {
bool Unsafe(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u == 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' || c == '`';
}
bool IsHostChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.'; }
}  // namespace

bool IsWebsite(std::string_view url) {
  if (url.size() > 300 || std::any_of(url.begin(), url.end(), Unsafe)) return false;
  std::string_view rest;
  if (url.starts_with("https://")) rest = url.substr(8);
  else if (url.starts_with("http://")) rest = url.substr(7);
  else return false;
  const std::string_view host = rest.substr(0, rest.find_first_of("/?#:"));
  if (host.empty() || host.size() > 253 || !std::all_of(host.begin(), host.end(), IsHostChar)) return false;
  if (host.find('.') == std::string_view::npos || host.front() == '.' || host.back() == '.' || host.front() == '-') {
    return false;
  }
  return host.find("..") == std::string_view::npos;
}

bool IsContactEmail(std::string_view email) {
  if (email.size() < 5 || email.size() > 254 || std::any_of(email.begin(), email.end(), Unsafe)) return false;
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) return false;
  if (email.find_first_of(",;()[]:") != std::string_view::npos) return false;
  const std::string_view domain = email.substr(at + 1);
  return domain.size() >= 3 && domain.find('.') != std::string_view::npos && domain.front() != '.' &&
         domain.back() != '.' && domain.find("..") == std::string_view::npos &&
         std::all_of(domain.begin(), domain.end(), IsHostChar);
}

bool IsPhoneNumber(std::string_view phone) {
  if (phone.empty() || phone.size() > 30) return false;
  int digits = 0;
  for (std::size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (std::isdigit(static_cast<unsigned char>(c))) ++digits;
    else if (c == '+' && i == 0) continue;
    else if (c != ' ' && c != '-' && c != '/' && c != '(' && c != ')') return false;
  }
  return digits >= 5 && digits <= 20;
}

json::object ToJson(const Centre& c) {
  json::array hours;
  for (const auto& h : c.opening_hours) hours.push_back(json::object{{"days", h.days}, {"from", h.from}, {"to", h.to}});
  json::array ranges;
  for (const auto& r : c.postcode_ranges) ranges.push_back(json::object{{"from", r.from}, {"to", r.to}});
  return json::object{{"id", c.id},
                      {"kind", c.kind},
                      {"name", c.name},
                      {"state", c.state},
                      {"provider", c.provider},
                      {"demo", c.demo},
                      {"network_id", OptJson(c.network_id)},
                      {"address", json::object{{"street", c.street}, {"postcode", c.postcode}, {"city", c.city}}},
                      {"phone", OptJson(c.phone)},
                      {"email", OptJson(c.email)},
                      {"website", OptJson(c.website)},
                      {"languages", StringsJson(c.languages)},
                      {"channels", StringsJson(c.channels)},
                      {"opening_hours", std::move(hours)},
                      {"postcode_ranges", std::move(ranges)},
                      {"locations", [&] {
                         json::array a;
                         for (const auto& l : c.locations) a.push_back(ToJson(l));
                         return a;
                       }()}};
}

json::array HoursJson(const std::vector<OpeningHours>& v) {
  json::array hours;
  for (const auto& h : v) hours.push_back(json::object{{"days", h.days}, {"from", h.from}, {"to", h.to}});
  return hours;
}

json::object ToJson(const Location& l) {
  json::object o{{"id", l.id},
                 {"centre_id", l.centre_id},
                 {"name", l.name},
                 {"address", json::object{{"street", l.street}, {"postcode", l.postcode}, {"city", l.city}}},
                 {"phone", OptJson(l.phone)},
                 {"email", OptJson(l.email)},
                 {"languages", StringsJson(l.languages)},
                 {"channels", StringsJson(l.channels)},
                 {"opening_hours", HoursJson(l.opening_hours)}};
  if (auto p = PostcodeLocation(l.postcode)) {
    o["coordinates"] = json::object{{"lat", std::round(p->lat * 1e4) / 1e4}, {"lon", std::round(p->lon * 1e4) / 1e4}};
  } else {
    o["coordinates"] = nullptr;
  }
  return o;
}

json::object ToJson(const FoundLocation& f) {
  const auto& l = f.location;
  return json::object{{"centre_id", f.centre.id},
                      {"location_id", l.id},
                      {"name", f.centre.name},
                      {"location_name", l.name},
                      {"state", f.centre.state},
                      {"address", json::object{{"street", l.street}, {"postcode", l.postcode}, {"city", l.city}}},
                      {"phone", OptJson(l.phone)},
                      {"email", OptJson(l.email)},
                      {"website", OptJson(f.centre.website)},
                      {"languages", StringsJson(l.languages)},
                      {"channels", StringsJson(l.channels)},
                      {"opening_hours", HoursJson(l.opening_hours)},
                      {"distance_km", f.distance_km ? json::value(std::round(*f.distance_km * 10) / 10) : json::value(nullptr)},
                      {"state_centre", f.state_centre},
                      {"demo", f.centre.demo}};
}

json::object ToJson(const Organisation& o) {
  return json::object{{"id", o.id},
                      {"kind", o.kind},
                      {"name", o.name},
                      {"short_name", o.short_name},
                      {"parent_id", OptJson(o.parent_id)},
                      {"state", OptJson(o.state)},
                      {"description", OptJson(o.description)},
                      {"website", OptJson(o.website)},
                      {"demo", o.demo}};
}

json::object ToJson(const Partner& p) {
  return json::object{{"id", p.id},         {"kind", p.kind},       {"name", p.name},
                      {"scope", p.scope},   {"state", OptJson(p.state)}, {"languages", StringsJson(p.languages)},
                      {"website", OptJson(p.website)}, {"phone", OptJson(p.phone)}, {"email", OptJson(p.email)},
                      {"demo", p.demo}};
}

json::object ToJson(const Network& n) {
  return json::object{{"id", n.id}, {"name", n.name}, {"state", n.state}, {"organisation_id", OptJson(n.organisation_id)}};
}

Result<std::pair<Snapshot, std::string>> ParseSeed(std::string_view text) {
  try {
    json::value root = json::parse(text);
    const auto& o = root.as_object();
    Snapshot s;
    for (const auto& v : o.at("organisations").as_array()) {
      const auto& x = v.as_object();
      std::string name(x.at("name").as_string());
      // Organisations without a common abbreviation go by their full name.
      std::string short_name = OptString(x, "short_name").value_or(name);
      s.organisations.push_back({std::string(x.at("id").as_string()), std::string(x.at("kind").as_string()), name,
                                 short_name,
                                 OptString(x, "parent_id"), OptString(x, "state"), OptString(x, "description"),
                                 OptString(x, "website"), x.contains("demo") && x.at("demo").as_bool()});
    }
    if (auto it = o.find("networks"); it != o.end()) {
      for (const auto& v : it->value().as_array()) {
        const auto& x = v.as_object();
        s.networks.push_back({std::string(x.at("id").as_string()), std::string(x.at("name").as_string()),
                              std::string(x.at("state").as_string()), OptString(x, "organisation_id")});
      }
    }
    for (const auto& v : o.at("centres").as_array()) {
      const auto& x = v.as_object();
      Centre c;
      c.id = x.at("id").as_string();
      c.kind = x.contains("kind") ? std::string(x.at("kind").as_string()) : "advice_centre";
      c.name = x.at("name").as_string();
      c.state = x.at("state").as_string();
      c.provider = x.at("provider").as_string();
      c.demo = x.contains("demo") && x.at("demo").as_bool();
      c.network_id = OptString(x, "network_id");
      const auto& a = x.at("address").as_object();
      c.street = a.at("street").as_string();
      c.postcode = a.at("postcode").as_string();
      c.city = a.at("city").as_string();
      c.phone = OptString(x, "phone");
      c.email = OptString(x, "email");
      c.website = OptString(x, "website");
      c.languages = Strings(x, "languages");
      c.channels = Strings(x, "channels");
      for (const auto& h : x.at("opening_hours").as_array()) {
        const auto& ho = h.as_object();
        c.opening_hours.push_back({std::string(ho.at("days").as_string()), std::string(ho.at("from").as_string()),
                                   std::string(ho.at("to").as_string())});
      }
      for (const auto& r : x.at("postcode_ranges").as_array()) {
        const auto& ro = r.as_object();
        c.postcode_ranges.push_back({std::string(ro.at("from").as_string()), std::string(ro.at("to").as_string())});
      }
      s.centres.push_back(std::move(c));
    }
    if (auto it = o.find("partners"); it != o.end()) {
      for (const auto& v : it->value().as_array()) {
        const auto& x = v.as_object();
        s.partners.push_back({std::string(x.at("id").as_string()), std::string(x.at("kind").as_string()),
                              std::string(x.at("name").as_string()),
                              x.contains("scope") ? std::string(x.at("scope").as_string()) : "national",
                              OptString(x, "state"), OptString(x, "website"), OptString(x, "phone"),
                              OptString(x, "email"), Strings(x, "languages"), x.contains("demo") && x.at("demo").as_bool()});
      }
    }
    return std::pair{std::move(s), std::string(o.at("version").as_string())};
  } catch (const std::exception& e) {
    return Fail(Error::Internal(std::string("directory seed is malformed: ") + e.what()));
  }
}

Service::Service(std::unique_ptr<Store> store) : store_(std::move(store)) {}

Status Service::ImportSeedIfEmpty() {
  bool empty = FD_TRY(store_->IsEmpty());
  if (!empty) return {};
  auto [seed, version] = FD_TRY(ParseSeed(embedded::kDirectorySeed));
  FD_TRY_VOID(store_->Import(seed, version));
  FD_TRY_VOID(Reload());
  return {};
}

Status Service::ImportLocationsIfEmpty() {
  if (!FD_TRY(store_->LocationsEmpty())) return {};
  auto snap = FD_TRY(Reload());
  std::vector<Location> all;
  for (const auto& c : snap->centres) {
    Location l;
    l.id = c.id + "-main";
    l.centre_id = c.id;
    l.name = c.city;
    l.street = c.street;
    l.postcode = c.postcode;
    l.city = c.city;
    l.phone = c.phone;
    l.email = c.email;
    l.languages = c.languages;
    l.channels = c.channels;
    l.opening_hours = c.opening_hours;
    all.push_back(std::move(l));
  }
  try {
    json::value root = json::parse(embedded::kLocationsSeed);
    for (const auto& v : root.at("locations").as_array()) {
      const auto& x = v.as_object();
      Location l;
      l.centre_id = x.at("centre_id").as_string();
      if (std::none_of(snap->centres.begin(), snap->centres.end(), [&](const Centre& c) { return c.id == l.centre_id; })) {
        continue;  // an admin removed or renamed the centre
      }
      l.id = x.at("id").as_string();
      l.name = x.at("name").as_string();
      l.street = x.at("street").as_string();
      l.postcode = x.at("postcode").as_string();
      l.city = x.at("city").as_string();
      l.phone = OptString(x, "phone");
      l.email = OptString(x, "email");
      l.languages = Strings(x, "languages");
      l.channels = Strings(x, "channels");
      for (const auto& h : x.at("opening_hours").as_array()) {
        const auto& ho = h.as_object();
        l.opening_hours.push_back({std::string(ho.at("days").as_string()), std::string(ho.at("from").as_string()),
                                   std::string(ho.at("to").as_string())});
      }
      all.push_back(std::move(l));
    }
  } catch (const std::exception& e) {
    return Fail(Error::Internal(std::string("locations seed is malformed: ") + e.what()));
  }
  FD_TRY_VOID(store_->InsertLocations(all));
  FD_TRY_VOID(Reload());
  return {};
}

Result<std::vector<FoundLocation>> Service::FindLocations(const FinderQuery& q) {
  auto snap = FD_TRY(Current());
  std::optional<GeoPoint> origin;
  if (q.postcode) {
    origin = PostcodeLocation(*q.postcode);
    if (!origin) return Fail(Error::Invalid("postcode", "is not a German postcode"));
  }
  auto speaks = [&](const Location& l) {
    if (!q.language) return true;
    if (Contains(l.languages, *q.language)) return true;
    return *q.language == "prs" && Contains(l.languages, "fa");  // Dari and Persian
  };
  auto remote = [](const Location& l) {
    return Contains(l.channels, "phone") || Contains(l.channels, "video") || Contains(l.channels, "messenger") ||
           Contains(l.channels, "email");
  };
  std::vector<FoundLocation> out;
  for (const auto& c : snap->centres) {
    if (c.kind != "advice_centre") continue;
    bool state_centre = q.postcode && Serves(c, *q.postcode);
    for (const auto& l : c.locations) {
      if (!speaks(l)) continue;
      if (q.abroad && !remote(l)) continue;
      FoundLocation f;
      f.centre = c;
      f.centre.locations.clear();
      f.location = l;
      f.state_centre = state_centre;
      if (origin) {
        if (auto p = PostcodeLocation(l.postcode)) f.distance_km = DistanceKm(*origin, *p);
      }
      out.push_back(std::move(f));
    }
  }
  if (origin) {
    std::stable_sort(out.begin(), out.end(), [](const FoundLocation& a, const FoundLocation& b) {
      return a.distance_km.value_or(1e9) < b.distance_km.value_or(1e9);
    });
  }
  // The postcode's own state centre always appears (the nearest location may be across a border).
  std::vector<FoundLocation> result;
  for (std::size_t i = 0; i < out.size() && result.size() < q.limit; ++i) result.push_back(out[i]);
  if (q.postcode && std::none_of(result.begin(), result.end(), [](const FoundLocation& f) { return f.state_centre; })) {
    for (const auto& f : out) {
      if (f.state_centre) {
        result.push_back(f);
        break;
      }
    }
  }
  return result;
}

Result<Location> Service::LocationById(std::string_view centre_id, std::string_view location_id) {
  auto c = FD_TRY(CentreById(centre_id));
  for (const auto& l : c.locations) {
    if (l.id == location_id) return l;
  }
  return Fail(Error::NotFound("No such location."));
}

Status Service::SaveLocation(const Location& l, bool create) {
  FD_TRY_VOID(CentreById(l.centre_id));
  if (!PostcodeLocation(l.postcode)) return Fail(Error::Invalid("address.postcode", "is not a German postcode"));
  FD_TRY_VOID(store_->UpsertLocation(l, create));
  FD_TRY_VOID(Reload());
  return {};
}

Status Service::DeleteLocation(std::string_view centre_id, std::string_view location_id) {
  auto c = FD_TRY(CentreById(centre_id));
  FD_TRY_VOID(LocationById(centre_id, location_id));
  if (c.locations.size() <= 1) return Fail(Error::Conflict("A centre keeps at least one location."));
  FD_TRY_VOID(store_->DeleteLocation(centre_id, location_id));
  FD_TRY_VOID(Reload());
  return {};
}

Service::~Service() {
  if (refresher_.joinable()) {
    refresher_.request_stop();
    wake_->cv.notify_all();
  }
}

Status Service::StartRefresh(std::chrono::seconds period) {
  FD_TRY_VOID(Reload());
  store_->OnChange([wake = wake_] {
    {
      std::lock_guard lock(wake->mu);
      wake->reload = true;
    }
    wake->cv.notify_all();
  });
  refresher_ = std::jthread([this, period](std::stop_token stop) {
    std::unique_lock lock(wake_->mu);
    for (;;) {
      // Sleeps for one period, or until another process announced a change; a stop request
      // (destruction) wakes it at once. Announcements that arrive during a reload are served by
      // one more reload.
      wake_->cv.wait_for(lock, stop, period, [&] { return wake_->reload; });
      if (stop.stop_requested()) return;
      wake_->reload = false;
      lock.unlock();
      if (auto r = Reload(); !r) log::Warn("directory_reload_failed", {{"internal", r.error().internal}});
      lock.lock();
    }
  });
  return {};
}

Result<std::shared_ptr<const Snapshot>> Service::Reload() {
  std::lock_guard reloading(reload_mu_);
  auto snap = FD_TRY(store_->LoadAll());
  auto shared = std::make_shared<const Snapshot>(std::move(snap));
  std::lock_guard lock(mu_);
  snapshot_ = shared;
  json_cache_.clear();
  return shared;
}

Result<std::shared_ptr<const Snapshot>> Service::Current() {
  {
    std::lock_guard lock(mu_);
    if (snapshot_) return snapshot_;
  }
  return Reload();
}

Result<std::vector<Centre>> Service::Centres(const CentreFilter& f) {
  auto snap = FD_TRY(Current());
  std::vector<Centre> out;
  for (const auto& c : snap->centres) {
    if (f.state && c.state != *f.state) continue;
    if (f.language && !Contains(c.languages, *f.language)) continue;
    if (f.postcode && !Serves(c, *f.postcode)) continue;
    out.push_back(c);
  }
  return out;
}

Result<std::shared_ptr<const Service::CentresPage>> Service::CentresJson(const CentreFilter& filter) {
  std::string key = FilterKey(filter);
  {
    std::lock_guard lock(mu_);
    if (auto it = json_cache_.find(key); snapshot_ && it != json_cache_.end()) return it->second;
  }
  auto snap = FD_TRY(Current());
  auto centres = FD_TRY(Centres(filter));
  json::array items;
  for (std::size_t i = filter.offset; i < centres.size() && i < filter.offset + filter.limit; ++i) {
    items.push_back(ToJson(centres[i]));
  }
  // The cursor is the offset of the next page: the directory is small and ordered by state and id.
  json::value next = filter.offset + filter.limit < centres.size()
                         ? json::value(std::to_string(filter.offset + filter.limit))
                         : json::value(nullptr);
  auto page = std::make_shared<CentresPage>();
  page->json = json::serialize(json::object{{"items", std::move(items)}, {"next_cursor", next}});
  page->etag = EntityTag(page->json);
  std::lock_guard lock(mu_);
  // Bound the cache: filters are caller input, so do not let it grow without limit.
  if (snapshot_ == snap && json_cache_.size() < 512) json_cache_[key] = page;
  return std::shared_ptr<const CentresPage>(std::move(page));
}

Result<Centre> Service::CentreById(std::string_view id) {
  auto snap = FD_TRY(Current());
  for (const auto& c : snap->centres) {
    if (c.id == id) return c;
  }
  return Fail(Error::NotFound("No such centre."));
}

Result<std::optional<Centre>> Service::CentreForPostcode(std::string_view postcode) {
  auto snap = FD_TRY(Current());
  for (const auto& c : snap->centres) {
    if (c.kind == "advice_centre" && Serves(c, postcode)) return std::optional<Centre>(c);
  }
  return std::optional<Centre>();
}

Result<std::vector<Organisation>> Service::Organisations(std::optional<std::string> kind) {
  auto snap = FD_TRY(Current());
  std::vector<Organisation> out;
  for (const auto& o : snap->organisations) {
    if (!kind || o.kind == *kind) out.push_back(o);
  }
  return out;
}

Result<Organisation> Service::OrganisationById(std::string_view id) {
  auto snap = FD_TRY(Current());
  for (const auto& o : snap->organisations) {
    if (o.id == id) return o;
  }
  return Fail(Error::NotFound("No such organisation."));
}

Result<std::vector<Partner>> Service::Partners(std::optional<std::string> kind, std::optional<std::string> state) {
  auto snap = FD_TRY(Current());
  std::vector<Partner> out;
  for (const auto& p : snap->partners) {
    if (kind && p.kind != *kind) continue;
    if (state && p.state && *p.state != *state) continue;
    out.push_back(p);
  }
  return out;
}

Result<std::vector<Network>> Service::Networks() {
  auto snap = FD_TRY(Current());
  return snap->networks;
}

Status Service::SaveOrganisation(const Organisation& o, bool create) {
  if (o.parent_id) {
    if (*o.parent_id == o.id) return Fail(Error::Invalid("parent_id", "must not be the organisation itself"));
    auto parent = OrganisationById(*o.parent_id);
    if (!parent) return Fail(Error::Invalid("parent_id", "no such organisation"));
  }
  FD_TRY_VOID(store_->UpsertOrganisation(o, create));
  FD_TRY_VOID(Reload());
  return {};
}

Status Service::SaveCentre(const Centre& c, bool create) {
  if (c.network_id) {
    auto nets = FD_TRY(Networks());
    if (std::none_of(nets.begin(), nets.end(), [&](const Network& n) { return n.id == *c.network_id; })) {
      return Fail(Error::Invalid("network_id", "no such network"));
    }
  }
  FD_TRY_VOID(store_->UpsertCentre(c, create));
  FD_TRY_VOID(Reload());
  return {};
}

}  // namespace fairdesk::directory
