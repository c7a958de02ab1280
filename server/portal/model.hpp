#pragma once
/// Contact requests from the public portal and the admin-editable legal pages.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fairdesk::portal {

inline constexpr std::string_view kTopics[] = {"wages",   "working_time",     "leave",         "sick_pay",
                                               "dismissal", "contract",       "health_insurance", "accommodation",
                                               "discrimination", "exploitation", "other"};
inline constexpr std::string_view kStatuses[] = {"new", "converted", "closed", "suspected_spam"};
inline constexpr std::string_view kLegalPages[] = {"imprint", "privacy", "accessibility"};

struct ContactRequest {
  std::string id, reference, centre_id;
  std::optional<std::string> location_id, postcode;
  std::string language, topic;
  std::string name, reach, message;  // personal: encrypted at rest
  std::string status = "new";
  bool verified = false;  // the proof of work was solved
  std::int64_t created_at = 0;
  std::optional<std::string> client_id, case_id, handled_by;
  std::optional<std::int64_t> handled_at;
};

struct LegalPage {
  std::string page, lang, title, body;
  std::int64_t updated_at = 0;
  std::string updated_by;
};

}  // namespace fairdesk::portal
