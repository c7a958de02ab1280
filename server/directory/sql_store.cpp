#include <boost/json.hpp>

#include "directory/store.hpp"
#include "platform/core/clock.hpp"
#include "platform/db/notify.hpp"

#include <set>

namespace fairdesk::directory {
namespace json = boost::json;
namespace {

constexpr db::Migration kMigrations[] = {
    {100, "directory tables", R"SQL(
CREATE TABLE organisations (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  short_name TEXT NOT NULL,
  parent_id TEXT REFERENCES organisations(id),
  state TEXT,
  description TEXT,
  website TEXT,
  demo INTEGER NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL
);
CREATE TABLE networks (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  organisation_id TEXT REFERENCES organisations(id)
);
CREATE TABLE centres (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  provider TEXT NOT NULL,
  demo INTEGER NOT NULL DEFAULT 0,
  network_id TEXT REFERENCES networks(id),
  street TEXT NOT NULL,
  postcode TEXT NOT NULL,
  city TEXT NOT NULL,
  phone TEXT,
  email TEXT,
  website TEXT,
  languages TEXT NOT NULL,
  channels TEXT NOT NULL,
  opening_hours TEXT NOT NULL,
  postcode_ranges TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE partners (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  scope TEXT NOT NULL,
  state TEXT,
  languages TEXT NOT NULL,
  website TEXT,
  phone TEXT,
  email TEXT,
  demo INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE directory_meta (
  seed_version TEXT NOT NULL,
  imported_at BIGINT NOT NULL
);
)SQL",
     {}},
    {110, "directory: locations of a centre", R"SQL(
CREATE TABLE centre_locations (
  id TEXT PRIMARY KEY,
  centre_id TEXT NOT NULL REFERENCES centres(id),
  name TEXT NOT NULL,
  street TEXT NOT NULL,
  postcode TEXT NOT NULL,
  city TEXT NOT NULL,
  phone TEXT,
  email TEXT,
  languages TEXT NOT NULL,
  channels TEXT NOT NULL,
  opening_hours TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX centre_locations_centre ON centre_locations (centre_id);
)SQL",
     {}},
};

std::string StringsToJson(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return json::serialize(a);
}

std::vector<std::string> StringsFromJson(const std::string& s) {
  std::vector<std::string> out;
  json::value parsed = json::parse(s);  // keep alive: range-for does not extend it
  for (const auto& v : parsed.as_array()) out.emplace_back(v.as_string());
  return out;
}

std::string HoursToJson(const std::vector<OpeningHours>& v) {
  json::array a;
  for (const auto& h : v) a.push_back(json::object{{"days", h.days}, {"from", h.from}, {"to", h.to}});
  return json::serialize(a);
}

std::vector<OpeningHours> HoursFromJson(const std::string& s) {
  std::vector<OpeningHours> out;
  json::value parsed = json::parse(s);  // keep alive: range-for does not extend it
  for (const auto& v : parsed.as_array()) {
    const auto& o = v.as_object();
    out.push_back({std::string(o.at("days").as_string()), std::string(o.at("from").as_string()),
                   std::string(o.at("to").as_string())});
  }
  return out;
}

std::string RangesToJson(const std::vector<PostcodeRange>& v) {
  json::array a;
  for (const auto& r : v) a.push_back(json::object{{"from", r.from}, {"to", r.to}});
  return json::serialize(a);
}

std::vector<PostcodeRange> RangesFromJson(const std::string& s) {
  std::vector<PostcodeRange> out;
  json::value parsed = json::parse(s);  // keep alive: range-for does not extend it
  for (const auto& v : parsed.as_array()) {
    const auto& o = v.as_object();
    out.push_back({std::string(o.at("from").as_string()), std::string(o.at("to").as_string())});
  }
  return out;
}

constexpr db::Query kSelectOrganisations{
    "directory.select_organisations",
    "SELECT id, kind, name, short_name, parent_id, state, description, website, demo FROM organisations ORDER BY id"};
constexpr db::Query kSelectNetworks{"directory.select_networks",
                                    "SELECT id, name, state, organisation_id FROM networks ORDER BY id"};
constexpr db::Query kSelectCentres{
    "directory.select_centres",
    "SELECT id, kind, name, state, provider, demo, network_id, street, postcode, city, phone, email, website, "
    "languages, channels, opening_hours, postcode_ranges FROM centres ORDER BY state, id"};
constexpr db::Query kSelectPartners{
    "directory.select_partners",
    "SELECT id, kind, name, scope, state, languages, website, phone, email, demo FROM partners ORDER BY kind, id"};
constexpr db::Query kCountCentres{"directory.count", "SELECT COUNT(*) FROM organisations"};
constexpr db::Query kInsertOrganisation{
    "directory.insert_organisation",
    "INSERT INTO organisations (id, kind, name, short_name, parent_id, state, description, website, demo, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"};
constexpr db::Query kUpdateOrganisation{
    "directory.update_organisation",
    "UPDATE organisations SET kind = $2, name = $3, short_name = $4, parent_id = $5, state = $6, description = $7, "
    "website = $8, demo = $9, updated_at = $10 WHERE id = $1"};
constexpr db::Query kInsertNetwork{"directory.insert_network",
                                   "INSERT INTO networks (id, name, state, organisation_id) VALUES ($1, $2, $3, $4)"};
constexpr db::Query kInsertCentre{
    "directory.insert_centre",
    "INSERT INTO centres (id, kind, name, state, provider, demo, network_id, street, postcode, city, phone, email, "
    "website, languages, channels, opening_hours, postcode_ranges, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
    "$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"};
constexpr db::Query kUpdateCentre{
    "directory.update_centre",
    "UPDATE centres SET kind = $2, name = $3, state = $4, provider = $5, demo = $6, network_id = $7, street = $8, "
    "postcode = $9, city = $10, phone = $11, email = $12, website = $13, languages = $14, channels = $15, "
    "opening_hours = $16, postcode_ranges = $17, updated_at = $18 WHERE id = $1"};
constexpr db::Query kInsertPartner{
    "directory.insert_partner",
    "INSERT INTO partners (id, kind, name, scope, state, languages, website, phone, email, demo) VALUES ($1, $2, $3, "
    "$4, $5, $6, $7, $8, $9, $10)"};
constexpr db::Query kSelectLocations{
    "directory.select_locations",
    "SELECT id, centre_id, name, street, postcode, city, phone, email, languages, channels, opening_hours "
    "FROM centre_locations ORDER BY centre_id, id"};
constexpr db::Query kCountLocations{"directory.count_locations", "SELECT COUNT(*) FROM centre_locations"};
constexpr db::Query kInsertLocation{
    "directory.insert_location",
    "INSERT INTO centre_locations (id, centre_id, name, street, postcode, city, phone, email, languages, channels, "
    "opening_hours, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"};
constexpr db::Query kUpdateLocation{
    "directory.update_location",
    "UPDATE centre_locations SET name = $3, street = $4, postcode = $5, city = $6, phone = $7, email = $8, "
    "languages = $9, channels = $10, opening_hours = $11, updated_at = $12 WHERE id = $1 AND centre_id = $2"};
constexpr db::Query kDeleteLocation{"directory.delete_location",
                                    "DELETE FROM centre_locations WHERE id = $1 AND centre_id = $2"};
constexpr db::Query kInsertMeta{"directory.insert_meta",
                                "INSERT INTO directory_meta (seed_version, imported_at) VALUES ($1, $2)"};

std::vector<db::Value> OrganisationParams(const Organisation& o) {
  return {o.id,         o.kind,        o.name, o.short_name, db::Opt(o.parent_id), db::Opt(o.state),
          db::Opt(o.description), db::Opt(o.website), std::int64_t{o.demo}, clock::NowUnix()};
}

std::vector<db::Value> CentreParams(const Centre& c) {
  return {c.id,
          c.kind,
          c.name,
          c.state,
          c.provider,
          std::int64_t{c.demo},
          db::Opt(c.network_id),
          c.street,
          c.postcode,
          c.city,
          db::Opt(c.phone),
          db::Opt(c.email),
          db::Opt(c.website),
          StringsToJson(c.languages),
          StringsToJson(c.channels),
          HoursToJson(c.opening_hours),
          RangesToJson(c.postcode_ranges),
          clock::NowUnix()};
}

std::vector<db::Value> LocationParams(const Location& l) {
  return {l.id,        l.centre_id, l.name, l.street, l.postcode, l.city, db::Opt(l.phone), db::Opt(l.email),
          StringsToJson(l.languages), StringsToJson(l.channels), HoursToJson(l.opening_hours), clock::NowUnix()};
}

class SqlStore final : public Store {
 public:
  explicit SqlStore(db::Database& db) : db_(db) {}

  Result<Snapshot> LoadAll() override {
    Snapshot snap;
    FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
      for (const auto& r : FD_TRY(s.Query(kSelectOrganisations))) {
        snap.organisations.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.OptText(4), r.OptText(5),
                                      r.OptText(6), r.OptText(7), r.Bool(8)});
      }
      for (const auto& r : FD_TRY(s.Query(kSelectNetworks))) {
        snap.networks.push_back({r.Text(0), r.Text(1), r.Text(2), r.OptText(3)});
      }
      for (const auto& r : FD_TRY(s.Query(kSelectCentres))) {
        Centre c;
        c.id = r.Text(0);
        c.kind = r.Text(1);
        c.name = r.Text(2);
        c.state = r.Text(3);
        c.provider = r.Text(4);
        c.demo = r.Bool(5);
        c.network_id = r.OptText(6);
        c.street = r.Text(7);
        c.postcode = r.Text(8);
        c.city = r.Text(9);
        c.phone = r.OptText(10);
        c.email = r.OptText(11);
        c.website = r.OptText(12);
        c.languages = StringsFromJson(r.Text(13));
        c.channels = StringsFromJson(r.Text(14));
        c.opening_hours = HoursFromJson(r.Text(15));
        c.postcode_ranges = RangesFromJson(r.Text(16));
        snap.centres.push_back(std::move(c));
      }
      for (const auto& r : FD_TRY(s.Query(kSelectLocations))) {
        Location l;
        l.id = r.Text(0);
        l.centre_id = r.Text(1);
        l.name = r.Text(2);
        l.street = r.Text(3);
        l.postcode = r.Text(4);
        l.city = r.Text(5);
        l.phone = r.OptText(6);
        l.email = r.OptText(7);
        l.languages = StringsFromJson(r.Text(8));
        l.channels = StringsFromJson(r.Text(9));
        l.opening_hours = HoursFromJson(r.Text(10));
        for (auto& c : snap.centres) {
          if (c.id == l.centre_id) {
            c.locations.push_back(std::move(l));
            break;
          }
        }
      }
      for (const auto& r : FD_TRY(s.Query(kSelectPartners))) {
        snap.partners.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.OptText(4), r.OptText(6),
                                 r.OptText(7), r.OptText(8), StringsFromJson(r.Text(5)), r.Bool(9)});
      }
      return {};
    }));
    return snap;
  }

  Result<bool> IsEmpty() override {
    bool empty = false;
    FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
      auto row = FD_TRY(s.One(kCountCentres, {}));
      empty = row.Int(0) == 0;
      return {};
    }));
    return empty;
  }

  Status Import(const Snapshot& seed, const std::string& version) override {
    return Change([&](db::Session& s) -> Status {
      // Parents first: the seed lists them in any order, so insert in passes.
      std::vector<const Organisation*> pending;
      for (const auto& o : seed.organisations) pending.push_back(&o);
      std::set<std::string> done;
      while (!pending.empty()) {
        std::vector<const Organisation*> next;
        for (const auto* o : pending) {
          if (o->parent_id && !done.contains(*o->parent_id)) {
            next.push_back(o);
            continue;
          }
          auto p = OrganisationParams(*o);
          FD_TRY_VOID(s.Exec(kInsertOrganisation, p));
          done.insert(o->id);
        }
        if (next.size() == pending.size()) return Fail(Error::Invalid("organisations", "parent_id cycle or unknown parent"));
        pending = std::move(next);
      }
      for (const auto& n : seed.networks) {
        FD_TRY_VOID(s.Exec(kInsertNetwork, {n.id, n.name, n.state, db::Opt(n.organisation_id)}));
      }
      for (const auto& c : seed.centres) {
        auto p = CentreParams(c);
        FD_TRY_VOID(s.Exec(kInsertCentre, p));
      }
      for (const auto& p : seed.partners) {
        FD_TRY_VOID(s.Exec(kInsertPartner, {p.id, p.kind, p.name, p.scope, db::Opt(p.state), StringsToJson(p.languages),
                                            db::Opt(p.website), db::Opt(p.phone), db::Opt(p.email), std::int64_t{p.demo}}));
      }
      FD_TRY_VOID(s.Exec(kInsertMeta, {version, clock::NowUnix()}));
      return {};
    });
  }

  Status UpsertOrganisation(const Organisation& o, bool create) override {
    return Change([&](db::Session& s) -> Status {
      auto p = OrganisationParams(o);
      auto n = FD_TRY(s.Exec(create ? kInsertOrganisation : kUpdateOrganisation, p));
      if (n == 0) return Fail(Error::NotFound());
      return {};
    });
  }

  Status UpsertCentre(const Centre& c, bool create) override {
    return Change([&](db::Session& s) -> Status {
      auto p = CentreParams(c);
      auto n = FD_TRY(s.Exec(create ? kInsertCentre : kUpdateCentre, p));
      if (n == 0) return Fail(Error::NotFound());
      return {};
    });
  }

  Result<bool> LocationsEmpty() override {
    bool empty = false;
    FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
      auto row = FD_TRY(s.One(kCountLocations, {}));
      empty = row.Int(0) == 0;
      return {};
    }));
    return empty;
  }

  Status InsertLocations(const std::vector<Location>& locations) override {
    return Change([&](db::Session& s) -> Status {
      for (const auto& l : locations) {
        auto p = LocationParams(l);
        FD_TRY_VOID(s.Exec(kInsertLocation, p));
      }
      return {};
    });
  }

  Status UpsertLocation(const Location& l, bool create) override {
    return Change([&](db::Session& s) -> Status {
      auto p = LocationParams(l);
      auto n = FD_TRY(s.Exec(create ? kInsertLocation : kUpdateLocation, p));
      if (n == 0) return Fail(Error::NotFound("No such location."));
      return {};
    });
  }

  Status DeleteLocation(std::string_view centre_id, std::string_view location_id) override {
    return Change([&](db::Session& s) -> Status {
      auto n = FD_TRY(s.Exec(kDeleteLocation, {std::string(location_id), std::string(centre_id)}));
      if (n == 0) return Fail(Error::NotFound("No such location."));
      return {};
    });
  }

  void OnChange(std::function<void()> fn) override { db::Subscribe(db_, std::string(kChannel), std::move(fn)); }

 private:
  // The notice channel of directory changes (other app servers reload their snapshot).
  static constexpr std::string_view kChannel = "fairdesk_directory";

  // A write that tells the other processes, in the same transaction, that the directory changed.
  Status Change(const std::function<Status(db::Session&)>& fn) {
    return db_.Write([&](db::Session& s) -> Status {
      FD_TRY_VOID(fn(s));
      return db::Notify(s, kChannel);
    });
  }

  db::Database& db_;
};

}  // namespace

std::unique_ptr<Store> MakeSqlStore(db::Database& db) { return std::make_unique<SqlStore>(db); }
std::span<const db::Migration> Migrations() { return kMigrations; }

}  // namespace fairdesk::directory
