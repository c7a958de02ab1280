#pragma once
/// Public holidays of the 16 federal states. Holiday law is Land law (except 3 October,
/// Art. 2 Abs. 2 Einigungsvertrag), so every rule below names the states and the years it holds.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/date.hpp"

namespace fairdesk::labour_law {

enum class State { kBW, kBY, kBE, kBB, kHB, kHH, kHE, kMV, kNI, kNW, kRP, kSL, kSN, kST, kSH, kTH };

/// The two-letter codes of API.md (BW BY BE BB HB HH HE MV NI NW RP SL SN ST SH TH), exact case.
std::optional<State> ParseState(std::string_view code);
std::string_view StateCode(State state);
std::string_view StateName(State state);  // German name, e.g. "Bayern"
std::span<const State> AllStates();

/// `kState`: a holiday in the whole state. `kPartial`: only in some municipalities (Assumption Day
/// in Bavaria, Corpus Christi in parts of Saxony and Thuringia, the Augsburg Peace Festival).
enum class HolidayScope { kState, kPartial };

struct Holiday {
  Date date;
  std::string name;     // German, as in the state law
  std::string name_en;  // English
  HolidayScope scope;
};

/// The years for which the calendar is maintained.
inline constexpr int kFirstHolidayYear = 1990;
inline constexpr int kLastHolidayYear = 2100;

/// Easter Sunday of the Gregorian calendar (Meeus/Jones/Butcher).
Date EasterSunday(int year);

/// All holidays of `state` in `year`, sorted by date, one entry per date (two holidays on one
/// day, such as 1 May and Ascension Day in 2008, are merged). Meant for 1990–2100; later years
/// continue today's rules, earlier years are not meaningful (callers reject them).
std::vector<Holiday> HolidaysOf(State state, int year);

/// The holiday on `date` in `state`, of either scope.
std::optional<Holiday> HolidayOn(State state, Date date);

/// True if `date` is a public holiday in the whole of `state` (scope kState). Deadlines move only
/// for these; a partial holiday can only be flagged, since the calculator does not know the
/// municipality.
bool IsStatePublicHoliday(State state, Date date);

/// True if `date` is Saturday, Sunday or a state-wide public holiday of `state`.
bool IsNonWorkingDay(State state, Date date);

/// § 193 BGB, § 222 Abs. 2 ZPO: the next day on or after `date` that is not a Saturday, Sunday or
/// state-wide public holiday.
Date NextWorkingDay(State state, Date date);

}  // namespace fairdesk::labour_law
