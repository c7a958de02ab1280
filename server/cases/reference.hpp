#pragma once
/// Fixed vocabularies of case work: country codes, the EU/EEA/Swiss group, WZ 2008 sections and
/// the enumerations of the API. Topics and routing rules are not here: they are data in the
/// database, maintained by the competence centre.

#include <span>
#include <string_view>

namespace fairdesk::cases {

/// ISO 3166-1 alpha-2, plus XK (Kosovo, user-assigned but used by German authorities).
bool IsCountryCode(std::string_view code);
/// Member states of the EU, the other EEA states (IS, LI, NO) and Switzerland: their nationals
/// have free movement and are advised by Fair Mobility.
bool IsEuEeaSwiss(std::string_view code);
/// WZ 2008 (NACE Rev. 2) section letters A..U.
bool IsWzSection(std::string_view code);
/// ISO 639-1/639-3 shaped: two or three lower-case letters.
bool IsLanguageCode(std::string_view code);
bool IsPostcode(std::string_view s);

inline constexpr std::string_view kGenders[] = {"female", "male", "diverse", "unspecified"};
inline constexpr std::string_view kEmploymentStatuses[] = {
    "employed", "marginal_employment", "self_employed", "in_training", "internship",
    "unemployed", "not_employed", "unknown"};
/// Residence status categories of STATISTICS.md (the statistics dimension `residence_status`).
inline constexpr std::string_view kResidenceStatuses[] = {
    "asylum_seeker", "tolerated", "humanitarian", "temporary_protection", "employment", "study_training",
    "family", "settlement", "visa_abroad", "none", "unknown"};
inline constexpr std::string_view kCaseStatuses[] = {"open", "waiting_client", "waiting_third_party", "referred",
                                                     "closed"};
/// Orders of the case list (a leading "-": descending).
inline constexpr std::string_view kCaseSortOrders[] = {"-created", "created", "-updated", "updated",
                                                       "number", "-number", "priority", "-priority",
                                                       "next_deadline", "-next_deadline", "status"};
inline constexpr std::string_view kPriorities[] = {"low", "normal", "high", "urgent"};
/// The federal states (ISO 3166-2:DE without "DE-"), the parties of a notice and its forms.
inline constexpr std::string_view kWorkStates[] = {"BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV",
                                                   "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"};
inline constexpr std::string_view kNoticeGivenBy[] = {"employer", "employee"};
inline constexpr std::string_view kNoticeForms[] = {"written", "electronic", "oral"};
inline constexpr std::string_view kRiskFlags[] = {"exploitation_indicators", "employer_tied_housing", "threats",
                                                  "undeclared_work"};
inline constexpr std::string_view kClosingReasons[] = {
    "resolved", "referred", "client_withdrew", "no_contact", "out_of_scope", "transferred", "other"};
inline constexpr std::string_view kChannels[] = {"in_person", "phone", "video", "messenger", "email", "outreach"};
inline constexpr std::string_view kConsultationKinds[] = {"preventive", "acute"};
inline constexpr std::string_view kDeadlineKinds[] = {
    "dismissal_claim", "exclusion_period", "limitation", "notice_period", "appeal", "court_date", "other"};
inline constexpr std::string_view kReferralStatuses[] = {"suggested", "made", "confirmed", "completed", "declined"};
inline constexpr std::string_view kEscalationStatuses[] = {"open", "answered", "closed"};
inline constexpr std::string_view kRoutingTargets[] = {
    "centre",         "fair_mobility",   "migration_counselling", "employment_agency",
    "recognition_counselling", "trade_union", "anti_discrimination", "anti_trafficking",
    "labour_court",   "customs_fks",     "health_insurance"};
inline constexpr std::string_view kNationalityGroups[] = {"any", "eu_eea_ch", "third_country"};

/// Cases keep amounts below 10 million euro: larger figures are typing errors.
inline constexpr long long kMaxWagesRecoveredCents = 1'000'000'000LL;

bool Contains(std::span<const std::string_view> set, std::string_view value);

}  // namespace fairdesk::cases
