#pragma once
/// The organisation directory (PRODUCT.md §2): the IQ programme and its partners, regional
/// networks, advice centres with the postcodes they serve, and referral partners.

#include <optional>
#include <string>
#include <vector>

namespace fairdesk::directory {

struct Organisation {
  std::string id, kind, name, short_name;
  std::optional<std::string> parent_id, state, description, website;
  bool demo = false;
};

struct Network {
  std::string id, name, state;
  std::optional<std::string> organisation_id;
};

struct OpeningHours {
  std::string days, from, to;
};

struct PostcodeRange {
  std::string from, to;  // inclusive, five digits
};

/// A place where a centre counsels (a centre has one or more). Its coordinates are those of its
/// postcode (postcodes.hpp).
struct Location {
  std::string id, centre_id, name;
  std::string street, postcode, city;
  std::optional<std::string> phone, email;
  std::vector<std::string> languages, channels;
  std::vector<OpeningHours> opening_hours;
};

struct Centre {
  std::string id, kind, name, state, provider;
  bool demo = false;
  std::optional<std::string> network_id;
  std::string street, postcode, city;
  std::optional<std::string> phone, email, website;
  std::vector<std::string> languages, channels;
  std::vector<OpeningHours> opening_hours;
  std::vector<PostcodeRange> postcode_ranges;
  std::vector<Location> locations;  // filled from centre_locations
};

struct Partner {
  std::string id, kind, name, scope;
  std::optional<std::string> state, website, phone, email;
  std::vector<std::string> languages;
  bool demo = false;
};

struct CentreFilter {
  std::optional<std::string> state, language, postcode;
  std::size_t offset = 0;  // paging (API.md lists: ?limit= default 50, at most 200; ?cursor=)
  std::size_t limit = 50;
};

/// Federal state codes of API.md.
const std::vector<std::string>& StateCodes();
bool IsStateCode(std::string_view code);

/// A location found for a visitor of the public finder.
struct FoundLocation {
  Centre centre;  // without its other locations
  Location location;
  std::optional<double> distance_km;  // when searched by postcode
  bool state_centre = false;          // the centre of the postcode's federal state (its ranges)
};

struct FinderQuery {
  std::optional<std::string> postcode, language;
  bool abroad = false;
  std::size_t limit = 10;
};

/// Contact fields of centres and organisations (issue 8 #17): a website is an absolute http(s)
/// URL with a host name and nothing a browser would read otherwise (no spaces, quotes, angle
/// brackets, backslashes or control characters); an e-mail address has one '@', a local part and
/// a domain with a dot; a phone number has 5 to 20 digits, an optional leading '+', and only
/// spaces, '-', '/', '(' and ')' besides.
bool IsWebsite(std::string_view url);
bool IsContactEmail(std::string_view email);
bool IsPhoneNumber(std::string_view phone);

inline constexpr std::string_view kOrganisationKinds[] = {
    "programme", "funder", "administrator", "partner", "network_project", "specialist_unit", "regional_network",
    "provider"};
inline constexpr std::string_view kCentreKinds[] = {"advice_centre", "competence_centre"};
inline constexpr std::string_view kChannels[] = {"in_person", "phone", "video", "messenger", "email", "outreach"};
inline constexpr std::string_view kPartnerKinds[] = {
    "fair_mobility",  "migration_counselling", "employment_agency", "recognition_counselling",
    "trade_union",    "labour_court",          "customs_fks",       "anti_discrimination",
    "anti_trafficking", "health_insurance",    "chamber"};

}  // namespace fairdesk::directory
