#include "labour_law/working_time.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <map>
#include <set>

#include "labour_law/tables.hpp"

namespace fairdesk::labour_law {
namespace {

constexpr int64_t kMinutesPerDay = 1440;

std::string ShiftField(size_t index, std::string_view name) {
  return "shifts[" + std::to_string(index) + "]." + std::string(name);
}

// "9:05": hours and minutes, as the translated texts take it.
std::string HoursMinutes(int64_t minutes) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%lld:%02lld", static_cast<long long>(minutes / 60),
                static_cast<long long>(minutes % 60));
  return buffer;
}

std::string Hm(int64_t minutes) { return HoursMinutes(minutes) + " h"; }

bool ReducedRestSector(Sector s) { return s != Sector::kGeneral; }

// Minutes of [start, end) that fall between 23:00 and 06:00 (night time, § 2 Abs. 3 ArbZG).
int64_t NightMinutes(int64_t start, int64_t end) {
  int64_t total = 0;
  const int64_t first_day = start / kMinutesPerDay - 1;
  const int64_t last_day = end / kMinutesPerDay;
  for (int64_t day = first_day; day <= last_day; ++day) {
    const int64_t night_start = day * kMinutesPerDay + kNightStartMinute;
    const int64_t night_end = (day + 1) * kMinutesPerDay + kNightEndMinute;
    const int64_t overlap = std::min(end, night_end) - std::max(start, night_start);
    if (overlap > 0) {
      total += overlap;
    }
  }
  return total;
}

int RuleOrder(std::string_view rule) {
  constexpr std::string_view kOrder[] = {"max_daily_hours", "min_break",          "min_rest",    "sunday_work",
                                         "holiday_work",    "replacement_rest_day", "free_sundays"};
  for (int i = 0; i < 7; ++i) {
    if (kOrder[i] == rule) {
      return i;
    }
  }
  return 7;
}

// The sectors of WorkingTimeInput::sector all have an exception under § 10 Abs. 1 ArbZG (see
// working_time.hpp); `general` has none.
bool SundayExceptionSector(Sector s) { return s != Sector::kGeneral; }

// § 11 ArbZG for a sector with a § 10 exception. Replacement rest days (§ 11 Abs. 3): each Sunday
// worked needs a work-free weekday within a 14-day period that includes it; each public holiday
// worked on a weekday one within 56 days. A weekday counts as a rest day when the timesheet
// covers it and shows no work (and it is not itself a public holiday, which is no Werktag); one
// rest day serves one Sunday or holiday. Days are matched earliest-deadline-first, which finds a
// rest day for every Sunday whenever any assignment could. Where the period reaches beyond the
// timesheet, a missing rest day is a warning, not a violation. § 11 Abs. 1: at least 15 Sundays
// of a calendar year stay free.
void CheckSundayProtection(const WorkingTimeInput& in, const std::set<int64_t>& worked_days,
                           const std::set<int64_t>& sundays, const std::set<int64_t>& holidays,
                           WorkingTimeResult& out, Explanation& ex) {
  ex.Basis("§ 10 Abs. 1 ArbZG");
  ex.Basis("§ 11 ArbZG");
  const int64_t covered_first = *worked_days.begin();
  const int64_t covered_last = *worked_days.rbegin();
  auto is_holiday = [&](int64_t day) {
    if (!in.state) return false;
    const auto h = HolidayOn(*in.state, Date::FromDaysSinceEpoch(day));
    return h && h->scope == HolidayScope::kState;
  };
  struct RestNeed {
    int64_t day;
    int64_t latest;  // last day of the latest period that includes the day
    int64_t earliest;
    bool sunday;
  };
  std::vector<RestNeed> needs;
  for (int64_t d : sundays) {
    needs.push_back({d, d + kSundayReplacementWindowDays - 1, d - (kSundayReplacementWindowDays - 1), true});
  }
  for (int64_t d : holidays) {
    if (sundays.count(d)) continue;  // a holiday on a Sunday is covered by the Sunday's rest day
    needs.push_back({d, d + kHolidayReplacementWindowDays - 1, d - (kHolidayReplacementWindowDays - 1), false});
  }
  std::sort(needs.begin(), needs.end(), [](const RestNeed& a, const RestNeed& b) {
    return a.latest != b.latest ? a.latest < b.latest : a.day < b.day;
  });
  std::set<int64_t> used;
  std::vector<std::string> unchecked;
  for (const RestNeed& n : needs) {
    bool found = false;
    for (int64_t d = std::max(n.earliest, covered_first); d <= std::min(n.latest, covered_last) && !found; ++d) {
      const Date date = Date::FromDaysSinceEpoch(d);
      if (d == n.day || date.weekday() == Weekday::kSunday || worked_days.count(d) || used.count(d) ||
          is_holiday(d)) {
        continue;
      }
      used.insert(d);
      found = true;
    }
    if (found) continue;
    const Date date = Date::FromDaysSinceEpoch(n.day);
    if (n.earliest >= covered_first && n.latest <= covered_last) {
      out.violations.push_back(
          {"replacement_rest_day", date,
           n.sunday ? "Work on a Sunday without a replacement rest day within two weeks (§ 11 Abs. 3 Satz 1 ArbZG)."
                    : "Work on a public holiday without a replacement rest day within eight weeks (§ 11 Abs. 3 "
                      "Satz 2 ArbZG).",
           n.sunday ? "replacement_rest_day_sunday" : "replacement_rest_day_holiday",
           {}});
    } else {
      unchecked.push_back(date.ToString());
    }
  }
  if (!unchecked.empty()) {
    ex.Warn("replacement_rest_day_unchecked",
            "The timesheet does not cover the whole period around " + std::to_string(unchecked.size()) +
                " Sunday(s) or holiday(s) worked (first " + unchecked.front() +
                "); check that a replacement rest day was granted (§ 11 Abs. 3 ArbZG).",
            {{"count", std::to_string(unchecked.size())}, {"date", unchecked.front()}});
  }
  // § 11 Abs. 1: per calendar year, Sundays worked may not exceed the year's Sundays less 15.
  std::map<int, std::vector<int64_t>> by_year;
  for (int64_t d : sundays) by_year[Date::FromDaysSinceEpoch(d).year()].push_back(d);
  for (const auto& [year, worked] : by_year) {
    int sundays_in_year = 0;
    for (Date d = Date::Ymd(year, 1, 1); d.year() == year; d = d.AddDays(1)) {
      if (d.weekday() == Weekday::kSunday) ++sundays_in_year;
    }
    const int allowed = sundays_in_year - kMinFreeSundaysPerYear;
    if (static_cast<int>(worked.size()) > allowed) {
      out.violations.push_back({"free_sundays", Date::FromDaysSinceEpoch(worked[allowed]),
                                std::to_string(worked.size()) + " of the " + std::to_string(sundays_in_year) +
                                    " Sundays of " + std::to_string(year) +
                                    " worked; at least 15 must stay free (§ 11 Abs. 1 ArbZG).",
                                "free_sundays",
                                {{"worked", std::to_string(worked.size())},
                                 {"total", std::to_string(sundays_in_year)},
                                 {"year", std::to_string(year)},
                                 {"free", std::to_string(kMinFreeSundaysPerYear)}}});
    }
  }
}

}  // namespace

std::optional<LocalDateTime> LocalDateTime::Parse(std::string_view text) {
  if (text.size() != 16 || text[10] != 'T' || text[13] != ':') {
    return std::nullopt;
  }
  const auto date = Date::Parse(text.substr(0, 10));
  if (!date) {
    return std::nullopt;
  }
  int parts[2] = {0, 0};
  for (int p = 0; p < 2; ++p) {
    for (size_t i = 0; i < 2; ++i) {
      const char c = text[11 + p * 3 + i];
      if (c < '0' || c > '9') {
        return std::nullopt;
      }
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  if (parts[0] > 23 || parts[1] > 59) {
    return std::nullopt;
  }
  return Of(*date, parts[0] * 60 + parts[1]);
}

Date LocalDateTime::date() const {
  const int64_t days = minutes >= 0 ? minutes / kMinutesPerDay : (minutes - kMinutesPerDay + 1) / kMinutesPerDay;
  return Date::FromDaysSinceEpoch(days);
}

std::string LocalDateTime::ToString() const {
  const int64_t minute_of_day = minutes - date().DaysSinceEpoch() * kMinutesPerDay;
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "T%02lld:%02lld", static_cast<long long>(minute_of_day / 60),
                static_cast<long long>(minute_of_day % 60));
  return date().ToString() + buffer;
}

Result<WorkingTimeResult> CheckWorkingTime(const WorkingTimeInput& in) {
  std::vector<FieldError> errors;
  if (in.shifts.empty() || in.shifts.size() > kMaxShifts) {
    return Fail(Error::Invalid("shifts", "must contain 1 to 1000 shifts"));
  }
  for (size_t i = 0; i < in.shifts.size(); ++i) {
    const Shift& s = in.shifts[i];
    if (s.start.date().year() > kLastHolidayYear) {
      errors.push_back({ShiftField(i, "start"), "must not be after 2100-12-31"});
      continue;
    }
    // A shift belongs to the working day it starts on, so its start decides the law: the ArbZG
    // from 1.7.1994, the Arbeitszeitordnung before. (This also keeps shifts inside the holiday
    // calendar, which starts in 1990.)
    if (s.start.date() < WorkingTimeActValidFrom()) {
      errors.push_back({ShiftField(i, "start"), "the calculator covers the ArbZG, in force from " +
                                                    WorkingTimeActValidFrom().ToString() +
                                                    "; earlier shifts fell under the Arbeitszeitordnung"});
      continue;
    }
    const int64_t duration = s.end.minutes - s.start.minutes;
    if (duration <= 0) {
      errors.push_back({ShiftField(i, "end"), "must be after start"});
    } else if (duration > kMinutesPerDay) {
      errors.push_back({ShiftField(i, "end"), "a shift may last at most 24 hours; split longer ones"});
    } else if (s.break_minutes < 0) {
      errors.push_back({ShiftField(i, "break_minutes"), "must not be negative"});
    } else if (s.break_minutes >= duration) {
      errors.push_back({ShiftField(i, "break_minutes"), "must be shorter than the shift"});
    }
  }
  if (!errors.empty()) {
    return Fail(Error::Invalid(std::move(errors)));
  }
  std::vector<size_t> order(in.shifts.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return in.shifts[a].start.minutes < in.shifts[b].start.minutes; });
  for (size_t k = 1; k < order.size(); ++k) {
    if (in.shifts[order[k]].start.minutes < in.shifts[order[k - 1]].end.minutes) {
      errors.push_back({ShiftField(order[k], "start"), "overlaps another shift"});
    }
  }
  if (!errors.empty()) {
    return Fail(Error::Invalid(std::move(errors)));
  }

  WorkingTimeResult out;
  Explanation& ex = out.explanation;
  ex.Basis("§ 3 ArbZG");
  ex.Basis("§ 4 ArbZG");
  ex.Basis("§ 5 Abs. 1 ArbZG");
  ex.Basis("§ 9 Abs. 1 ArbZG");
  if (ReducedRestSector(in.sector)) {
    ex.Basis("§ 5 Abs. 2 ArbZG");
  }
  auto violate = [&out](std::string_view rule, Date date, std::string detail, std::string_view detail_code = {},
                        TextParams params = {}) {
    out.violations.push_back({std::string(rule), date, std::move(detail),
                              std::string(detail_code.empty() ? rule : detail_code), std::move(params)});
  };

  for (const Shift& s : in.shifts) {
    out.total_minutes += s.end.minutes - s.start.minutes - s.break_minutes;
  }
  out.total_hours_hundredths = (out.total_minutes * 100 + 30) / 60;

  // Shifts are grouped into working days by the calendar day on which they start; a night shift
  // belongs to the day it began.
  struct WorkDay {
    Date date;
    int64_t work = 0;
    int64_t breaks = 0;
    int64_t first_start = 0;
    int64_t last_end = 0;
    bool long_stretch_without_break = false;
  };
  std::vector<WorkDay> days;
  for (size_t k = 0; k < order.size(); ++k) {
    const Shift& s = in.shifts[order[k]];
    const Date date = s.start.date();
    const int64_t duration = s.end.minutes - s.start.minutes;
    if (days.empty() || days.back().date != date) {
      days.push_back({date, 0, 0, s.start.minutes, s.end.minutes, false});
    } else {
      // The gap between two shifts of one day is an interruption of work; it counts as a break
      // if it lasts at least 15 minutes (§ 4 Satz 2 ArbZG).
      const int64_t gap = s.start.minutes - days.back().last_end;
      if (gap >= kMinBreakBlockMinutes) {
        days.back().breaks += gap;
      }
    }
    WorkDay& day = days.back();
    day.work += duration - s.break_minutes;
    // Only blocks of at least 15 minutes count as breaks (§ 4 Satz 2 ArbZG).
    if (s.break_minutes >= kMinBreakBlockMinutes) {
      day.breaks += s.break_minutes;
    } else if (duration > kMaxMinutesWithoutBreak) {
      // § 4 Satz 3 ArbZG: nobody may work more than six hours in a row without a break.
      day.long_stretch_without_break = true;
    }
    day.last_end = std::max(day.last_end, s.end.minutes);
  }

  std::vector<std::string> averaging_dates;
  for (size_t i = 0; i < days.size(); ++i) {
    const WorkDay& day = days[i];
    if (day.work > kMaxDailyMinutes) {
      violate("max_daily_hours", day.date,
              Hm(day.work) + " worked; at most " + std::to_string(kMaxDailyMinutes / 60) +
                  " hours per working day (§ 3 ArbZG).",
              {}, {{"worked", HoursMinutes(day.work)}, {"max", std::to_string(kMaxDailyMinutes / 60)}});
    } else if (day.work > kRegularDailyMinutes) {
      averaging_dates.push_back(day.date.ToString());
    }
    const int64_t needed = day.work > kLongBreakAfterMinutes    ? kLongBreakMinutes
                           : day.work > kShortBreakAfterMinutes ? kShortBreakMinutes
                                                                : 0;
    if (day.breaks < needed) {
      violate("min_break", day.date,
              Hm(day.work) + " worked with " + std::to_string(day.breaks) + " minutes of breaks (of at least " +
                  std::to_string(kMinBreakBlockMinutes) + " minutes each); at least " + std::to_string(needed) +
                  " minutes required (§ 4 ArbZG).",
              {},
              {{"worked", HoursMinutes(day.work)},
               {"breaks", std::to_string(day.breaks)},
               {"block", std::to_string(kMinBreakBlockMinutes)},
               {"needed", std::to_string(needed)}});
    } else if (day.long_stretch_without_break) {
      violate("min_break", day.date,
              "A shift of more than six hours without a break of at least " + std::to_string(kMinBreakBlockMinutes) +
                  " minutes (§ 4 Satz 3 ArbZG).",
              "min_break_stretch", {{"block", std::to_string(kMinBreakBlockMinutes)}});
    }
    if (i > 0) {
      const int64_t rest = day.first_start - days[i - 1].last_end;
      const int64_t required =
          ReducedRestSector(in.sector) ? kMinRestMinutes - kMaxRestReductionMinutes : kMinRestMinutes;
      if (rest < required) {
        violate("min_rest", day.date,
                Hm(rest) + " of rest before this working day; at least " + Hm(required) +
                    (ReducedRestSector(in.sector) ? " in this sector (§ 5 Abs. 2 ArbZG)." : " (§ 5 Abs. 1 ArbZG)."),
                ReducedRestSector(in.sector) ? "min_rest_sector" : "min_rest",
                {{"rest", HoursMinutes(rest)}, {"required", HoursMinutes(required)}});
      } else if (rest < kMinRestMinutes) {
        ex.Warn("rest_reduced",
                "Rest was shortened below " + std::to_string(kMinRestMinutes / 60) + " hours (first on " +
                    day.date.ToString() +
                    "); allowed in this sector only if compensated by a rest of at least 12 hours within one "
                    "month or four weeks (§ 5 Abs. 2 ArbZG).",
                {{"hours", std::to_string(kMinRestMinutes / 60)}, {"date", day.date.ToString()}});
      }
    }
  }
  if (!averaging_dates.empty()) {
    ex.Warn("averaging_required", "More than " + std::to_string(kRegularDailyMinutes / 60) + " hours were worked on " +
                                      std::to_string(averaging_dates.size()) + " day(s) (first " +
                                      averaging_dates.front() + "); this is lawful only if the average stays at " +
                                      std::to_string(kRegularDailyMinutes / 60) +
                                      " hours per working day within six calendar "
                                      "months or 24 weeks (§ 3 Satz 2 ArbZG).",
            {{"hours", std::to_string(kRegularDailyMinutes / 60)},
             {"count", std::to_string(averaging_dates.size())},
             {"date", averaging_dates.front()}});
  }

  // § 9 Abs. 1 ArbZG: no work on Sundays and public holidays from 0 to 24 hours. In the sectors
  // with an exception under § 10 Abs. 1 ArbZG such work is allowed, and § 11 ArbZG protects the
  // worker instead: a replacement rest day and 15 free Sundays a year.
  const bool exception = SundayExceptionSector(in.sector);
  std::set<int64_t> worked_days;
  std::set<int64_t> sundays;
  std::set<int64_t> holidays;  // state holidays worked (any weekday)
  bool night = false;
  for (const Shift& s : in.shifts) {
    const Date first = s.start.date();
    const Date last = LocalDateTime{s.end.minutes - 1}.date();
    for (Date d = first; d <= last; d = d.AddDays(1)) {
      worked_days.insert(d.DaysSinceEpoch());
      if (d.weekday() == Weekday::kSunday && sundays.insert(d.DaysSinceEpoch()).second && !exception) {
        violate("sunday_work", d, "Work on a Sunday (§ 9 Abs. 1 ArbZG); check the exceptions of § 10 ArbZG.");
      }
      if (in.state) {
        const auto holiday = HolidayOn(*in.state, d);
        if (holiday && holiday->scope == HolidayScope::kState && holidays.insert(d.DaysSinceEpoch()).second &&
            !exception) {
          violate("holiday_work", d,
                  "Work on " + holiday->name_en + " (" + holiday->name + "), a public holiday in " +
                      std::string(StateName(*in.state)) + " (§ 9 Abs. 1 ArbZG); check the exceptions of § 10 ArbZG.",
                  {}, {{"holiday", holiday->name}, {"state", std::string(StateName(*in.state))}});
        } else if (holiday && holiday->scope == HolidayScope::kPartial) {
          ex.Warn("partial_holiday_work",
                  "Work on " + holiday->name_en + " (" + d.ToString() +
                      "), a holiday only in some municipalities; check the place of work.",
                  {{"holiday", holiday->name}, {"date", d.ToString()}});
        }
      }
    }
    if (NightMinutes(s.start.minutes, s.end.minutes) > kNightWorkMinMinutes) {
      night = true;
    }
  }
  if (!in.state) {
    ex.Warn("holidays_not_checked",
            "No state was given, so public holidays were not checked; only Sundays were (§ 9 ArbZG).");
  }
  if (exception && (!sundays.empty() || !holidays.empty())) {
    CheckSundayProtection(in, worked_days, sundays, holidays, out, ex);
  } else if (!sundays.empty() || !holidays.empty()) {
    ex.Basis("§ 10 ArbZG");
    ex.Warn("sunday_exceptions",
            "§ 10 ArbZG allows Sunday and holiday work in many sectors (e.g. hospitality, care, transport, "
            "agriculture); § 11 ArbZG then requires a replacement rest day.");
  }
  if (night) {
    ex.Warn("night_work",
            "More than two hours of a shift fell between 23:00 and 06:00; for night workers § 6 ArbZG "
            "limits the day to 8 hours (10 with averaging over one month).");
  }
  ex.Warn("several_employers", "Hours at several employers are added together (§ 2 Abs. 1 ArbZG); enter all shifts.");

  std::stable_sort(out.violations.begin(), out.violations.end(),
                   [](const WorkingTimeViolation& a, const WorkingTimeViolation& b) {
                     if (a.date != b.date) {
                       return a.date < b.date;
                     }
                     return RuleOrder(a.rule) < RuleOrder(b.rule);
                   });
  return out;
}

}  // namespace fairdesk::labour_law
