#pragma once
/// The statistics record: coarse attributes of a case and of each consultation, derived from case
/// work and nothing finer than a calendar month. No names, no free text, no day dates, no link to
/// the client other than a random person key (stats_persons), which is cut on anonymisation.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fairdesk::stats {

/// What a case fact is derived from (the case, its client, the centre's state).
struct CaseInput {
  std::string centre_id, state;
  std::string opened_on;                  // YYYY-MM-DD
  std::optional<std::string> closed_on;   // YYYY-MM-DD, when closed
  std::string status;                     // open, waiting, referred, closed
  std::optional<std::string> first_topic;
  std::optional<std::string> nationality, sector, employment_status, residence_status;
  std::optional<std::int64_t> birth_year;
  std::optional<bool> abroad;
  std::string gender = "unspecified";
  std::optional<std::string> referral_target;  // the case's first referral
  std::int64_t wages_recovered_cents = 0;
  bool claim_filed = false, settled = false, referred = false, no_further_action = false;
};

struct CaseFact {
  std::string centre_id, state, opened_month;
  std::optional<std::string> closed_month;
  std::string topic, sector, sector_group, nationality, nationality_group, gender, age_band, employment_status,
      residence_status, abroad, referral_target, outcome;
  std::int64_t wages_recovered_cents = 0;
  friend bool operator==(const CaseFact&, const CaseFact&) = default;
};

CaseFact DeriveCaseFact(const CaseInput& in);

std::string_view AgeBand(std::optional<std::int64_t> birth_year, int year_of_contact);
std::string_view SectorGroup(std::string_view wz_section);
std::string_view NationalityGroup(std::string_view iso2);

inline constexpr std::string_view kUnknown = "unknown";
inline constexpr std::string_view kAgeBands[] = {"under_18", "18_29", "30_44", "45_54", "55_plus", "unknown"};
inline constexpr std::string_view kSectorGroups[] = {
    "construction", "cleaning", "hospitality", "transport_logistics", "meat_food", "agriculture", "care", "other",
    "unknown"};
inline constexpr std::string_view kResidenceStatuses[] = {
    "asylum_seeker", "tolerated", "humanitarian", "temporary_protection", "employment", "study_training",
    "family", "settlement", "visa_abroad", "none", "unknown"};
inline constexpr std::string_view kOutcomes[] = {"open",       "settled",           "claim_filed",
                                                 "referred",   "no_further_action", "closed_other"};

}  // namespace fairdesk::stats
