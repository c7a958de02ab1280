#include "stats/facts.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace fairdesk::stats {

std::string_view AgeBand(std::optional<std::int64_t> birth_year, int year_of_contact) {
  if (!birth_year) return kUnknown;
  const std::int64_t age = year_of_contact - *birth_year;  // age reached in the year of first contact
  if (age < 0 || age > 120) return kUnknown;
  if (age < 18) return "under_18";
  if (age < 30) return "18_29";
  if (age < 45) return "30_44";
  if (age < 55) return "45_54";
  return "55_plus";
}

// WZ 2008 sections to the display groups of STATISTICS.md. A section is the finest sector
// fairdesk records, so some groups are approximations (see docs/STATISTICS.md): meat and food
// industry = C (manufacturing), cleaning = N (administrative and support services, building
// cleaning is N 81.2), care = Q and T (households as employers, home care).
std::string_view SectorGroup(std::string_view s) {
  if (s.empty()) return kUnknown;
  switch (s[0]) {
    case 'F': return "construction";
    case 'N': return "cleaning";
    case 'I': return "hospitality";
    case 'H': return "transport_logistics";
    case 'C': return "meat_food";
    case 'A': return "agriculture";
    case 'Q':
    case 'T': return "care";
    default: return "other";
  }
}

namespace {
struct Group {
  std::string_view group;
  std::string_view countries;  // space-separated ISO codes
};
constexpr Group kGroups[] = {
    {"eu_eea_ch",
     "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO CH"},
    {"western_balkans", "AL BA ME MK RS XK"},
    {"eastern_europe", "UA MD BY RU GE AM AZ TR"},
    {"middle_east_north_africa", "SY IQ IR LB JO PS YE SA KW EG LY TN DZ MA SD"},
    {"sub_saharan_africa",
     "ER ET SO NG GH GM GN SN ML CM CD CG CI KE UG TZ RW BF NE TG BJ SL LR ZA ZW ZM MZ AO SS"},
    {"south_central_asia", "AF PK IN BD LK NP KZ UZ TJ KG TM"},
    {"east_southeast_asia", "VN CN PH ID TH MM KH LA MY MN KR JP"},
    {"americas", "CO VE BR PE EC BO MX CU DO HN SV GT NI AR CL US CA HT PY UY"},
};
}  // namespace

std::string_view NationalityGroup(std::string_view iso2) {
  if (iso2.size() != 2) return kUnknown;
  for (const auto& g : kGroups) {
    for (std::size_t i = 0; i + 2 <= g.countries.size(); i += 3) {
      if (g.countries.substr(i, 2) == iso2) return g.group;
    }
  }
  return "other";
}

namespace {
std::string Or(const std::optional<std::string>& v) { return v && !v->empty() ? *v : std::string(kUnknown); }
}  // namespace

CaseFact DeriveCaseFact(const CaseInput& in) {
  CaseFact f;
  f.centre_id = in.centre_id;
  f.state = in.state;
  f.opened_month = in.opened_on.substr(0, 7);
  if (in.status == "closed" && in.closed_on) f.closed_month = in.closed_on->substr(0, 7);
  f.topic = Or(in.first_topic);
  f.sector = Or(in.sector);
  f.sector_group = in.sector ? std::string(SectorGroup(*in.sector)) : std::string(kUnknown);
  f.nationality = Or(in.nationality);
  f.nationality_group = in.nationality ? std::string(NationalityGroup(*in.nationality)) : std::string(kUnknown);
  f.gender = in.gender.empty() ? "unspecified" : in.gender;
  int year = 0;
  std::from_chars(in.opened_on.data(), in.opened_on.data() + std::min<std::size_t>(4, in.opened_on.size()), year);
  f.age_band = AgeBand(in.birth_year, year);
  f.employment_status = Or(in.employment_status);
  f.residence_status = Or(in.residence_status);
  f.abroad = !in.abroad ? "unknown" : (*in.abroad ? "abroad" : "germany");
  f.referral_target = in.referral_target ? *in.referral_target : "none";
  if (!f.closed_month) {
    f.outcome = "open";
  } else if (in.settled) {
    f.outcome = "settled";
  } else if (in.claim_filed) {
    f.outcome = "claim_filed";
  } else if (in.referred) {
    f.outcome = "referred";
  } else if (in.no_further_action) {
    f.outcome = "no_further_action";
  } else {
    f.outcome = "closed_other";
  }
  f.wages_recovered_cents = f.closed_month ? in.wages_recovered_cents : 0;
  return f;
}

}  // namespace fairdesk::stats
