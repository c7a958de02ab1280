#pragma once
/// ESF Plus participant data (Regulation (EU) 2021/1057, Annex I; ../shared/STATISTICS.md): what
/// a centre records at a participant's entry and exit, and the common indicators reported for a
/// period. Plain values here; the store keeps the personal and special-category answers sealed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stats/service.hpp"

namespace fairdesk::esf {

/// Gender as Annex I breaks it down (women, men, non-binary); "not_stated" counts in the total
/// only. The client's "diverse" maps to non_binary, "unspecified" to not_stated.
inline constexpr std::string_view kGenders[] = {"women", "men", "non_binary", "not_stated"};
/// Employment situation at entry, mutually exclusive. Long-term unemployed (registered
/// unemployed for more than 12 months, national definition) count as unemployed too (EECO02 and
/// EECO03); self-employed count as employed (EECO05).
inline constexpr std::string_view kEmployment[] = {"unemployed", "long_term_unemployed", "inactive", "employed",
                                                   "self_employed"};
/// Highest education completed (ISCED 2011 levels).
inline constexpr std::string_view kEducation[] = {"isced_0_2", "isced_3_4", "isced_5_8"};
inline constexpr std::string_view kYesNo[] = {"yes", "no"};
/// Special-category items (Art. 9 GDPR): the participant may refuse to answer. "refused" is not
/// "no": it records that the question was asked and not answered.
inline constexpr std::string_view kSpecialAnswers[] = {"yes", "no", "refused"};
/// The last status within 28 days after leaving. Job searching and employment exclude each
/// other (SFC2021 rule for EECR01/EECR04).
inline constexpr std::string_view kExitStatus[] = {"employed", "self_employed", "job_searching", "education_training",
                                                   "inactive", "unknown"};
/// The situation six months after leaving (EECR05).
inline constexpr std::string_view kLongTermStatus[] = {"employed", "self_employed", "not_employed", "unknown"};
/// Age at entry (only the birth year is stored: the age reached in the year of entry).
inline constexpr std::string_view kAgeBands[] = {"under_18", "18_29", "30_54", "55_plus"};

/// The rule for "not short one-off advice" (STATISTICS.md: one-off advice and attendees of
/// information events are not participants): a case needs at least this many consultations
/// (not withdrawn) before its client can be recorded as an ESF participant.
inline constexpr std::int64_t kMinConsultations = 2;

/// The earliest entry date: the ESF Plus programming period 2021-2027 began on 1 January 2021.
inline constexpr std::string_view kEarliestEntry = "2021-01-01";

/// The participant record of one case. Entry items are required at entry; exit items are set
/// when the participant leaves (and the longer-term result six months later).
struct Participant {
  std::string id, case_id, centre_id, state;
  std::int64_t version = 1;
  // Entry (Annex I 1.1 and 1.2).
  std::string entry_date;  // YYYY-MM-DD
  std::string gender;
  std::int64_t birth_year = 0;  // sealed
  std::string employment_status;
  std::string education;
  std::string third_country_national;  // yes/no
  std::string foreign_background;      // yes/no
  std::string homeless;                // yes/no: homeless or affected by housing exclusion
  std::string rural;                   // yes/no: lives in a rural area
  std::string disability;              // yes/no/refused, sealed (Art. 9 GDPR)
  std::string minority;                // yes/no/refused, sealed (Art. 9 GDPR)
  // Exit (Annex I 3 and 4).
  std::optional<std::string> exit_date;
  std::optional<std::string> exit_status;
  std::optional<std::string> qualification;  // yes/no: gained a qualification upon leaving
  std::optional<std::string> long_term_status;
  // Who asked the special-category questions, and when (the attempt is recorded).
  std::optional<std::string> special_asked_by;
  std::optional<std::int64_t> special_asked_at;
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t rkey = 0;  // random record key of the cell-key method
};

/// Age band at entry from the birth year and the entry date.
std::string AgeBand(std::int64_t birth_year, std::string_view entry_date);

/// The coarse attributes one participant contributes to the indicators (what an unlinked record
/// keeps after anonymisation or erasure).
struct Facts {
  std::string entry_month;                 // YYYY-MM
  std::optional<std::string> exit_month;  // YYYY-MM
  std::string gender, age_band, employment_status, education;
  std::string third_country_national, foreign_background, homeless, rural, disability, minority;
  std::optional<std::string> exit_status, qualification, long_term_status;
  std::int64_t rkey = 0;
};

/// Which indicators a participant counts in.
enum class Basis { kEntry, kExit };
struct Indicator {
  std::string_view code;   // SFC2021 code (LABOUR_LAW.md §5; [K] codes unverified)
  std::string_view label_de, label_en;
  Basis basis;
  bool (*counts)(const Facts&);
  bool published = true;  // false: a helper row that completes a partition (never shown)
};

/// Indicators whose rows add up to another row (the margin), gender by gender and in the total:
/// protected together (Protect), so that a suppressed figure cannot be recomputed from the
/// margin and the other rows either.
struct Block {
  std::string_view margin;
  std::vector<std::string_view> rows;
};
extern const std::vector<Block> kBlocks;

/// The field mapping from recorded items to Annex I indicators: one table, easy to change.
extern const std::vector<Indicator> kIndicators;

/// One figure of the indicator table.
struct Figure {
  std::optional<std::int64_t> value;  // nullopt when suppressed
  bool suppressed = false;
};

/// The common output and result indicators of a period, by gender.
struct IndicatorTable {
  std::string from, to;  // YYYY-MM
  bool protected_ = false;
  std::optional<std::string> state, centre;
  std::optional<stats::FrozenInfo> frozen;  // answered from a closed statistics period
  struct Row {
    std::string code, label_de, label_en;
    std::vector<Figure> by_gender;  // in kGenders order
    Figure total;
  };
  std::vector<Row> rows;
};

/// Counts (exact) of the indicators over `facts` whose entry (outputs) or exit (results) month
/// lies in [from, to]; per indicator, counts by gender in kGenders order, then the total, and
/// the cell keys alike.
struct Counts {
  std::vector<std::vector<std::int64_t>> value, key;  // [indicator][gender..., total]
};
Counts Count(const std::vector<Facts>& facts, std::string_view from, std::string_view to);

/// Which figures of the table are suppressed in a protected view ([indicator][gender..., total]):
/// counts 1-4, and secondary suppression so that none of them can be recomputed from the totals,
/// the blocks' sums and the other published figures (helper rows are always hidden). See
/// model.cpp.
std::vector<std::vector<bool>> Protect(const Counts& counts);

}  // namespace fairdesk::esf
