#include "labour_law/holidays.hpp"

#include <algorithm>
#include <array>

namespace fairdesk::labour_law {
namespace {

struct StateInfo {
  State state;
  std::string_view code;
  std::string_view name;
};

constexpr std::array<StateInfo, 16> kStates = {{
    {State::kBW, "BW", "Baden-Württemberg"},
    {State::kBY, "BY", "Bayern"},
    {State::kBE, "BE", "Berlin"},
    {State::kBB, "BB", "Brandenburg"},
    {State::kHB, "HB", "Bremen"},
    {State::kHH, "HH", "Hamburg"},
    {State::kHE, "HE", "Hessen"},
    {State::kMV, "MV", "Mecklenburg-Vorpommern"},
    {State::kNI, "NI", "Niedersachsen"},
    {State::kNW, "NW", "Nordrhein-Westfalen"},
    {State::kRP, "RP", "Rheinland-Pfalz"},
    {State::kSL, "SL", "Saarland"},
    {State::kSN, "SN", "Sachsen"},
    {State::kST, "ST", "Sachsen-Anhalt"},
    {State::kSH, "SH", "Schleswig-Holstein"},
    {State::kTH, "TH", "Thüringen"},
}};

constexpr std::array<State, 16> kAllStates = {State::kBW, State::kBY, State::kBE, State::kBB,
                                              State::kHB, State::kHH, State::kHE, State::kMV,
                                              State::kNI, State::kNW, State::kRP, State::kSL,
                                              State::kSN, State::kST, State::kSH, State::kTH};

bool In(State s, std::initializer_list<State> states) {
  return std::find(states.begin(), states.end(), s) != states.end();
}

// The Länder that joined on 3.10.1990 (Berlin, reunited from two halves, is treated apart).
bool IsNewLand(State s) { return In(s, {State::kBB, State::kMV, State::kSN, State::kST, State::kTH}); }

// Buß- und Bettag: the Wednesday before 23 November (between 16 and 22 November).
Date RepentanceDay(int year) {
  Date d = Date::Ymd(year, 11, 22);
  while (d.weekday() != Weekday::kWednesday) {
    d = d.AddDays(-1);
  }
  return d;
}

class Builder {
 public:
  void Add(Date date, std::string_view name, std::string_view name_en, HolidayScope scope) {
    list_.push_back({date, std::string(name), std::string(name_en), scope});
  }
  std::vector<Holiday> Finish() && {
    std::stable_sort(list_.begin(), list_.end(),
                     [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
    std::vector<Holiday> merged;
    for (auto& h : list_) {
      if (!merged.empty() && merged.back().date == h.date) {
        Holiday& prev = merged.back();
        prev.name += " / " + h.name;
        prev.name_en += " / " + h.name_en;
        if (h.scope == HolidayScope::kState) {
          prev.scope = HolidayScope::kState;
        }
        continue;
      }
      merged.push_back(std::move(h));
    }
    return merged;
  }

 private:
  std::vector<Holiday> list_;
};

}  // namespace

std::optional<State> ParseState(std::string_view code) {
  for (const auto& info : kStates) {
    if (info.code == code) {
      return info.state;
    }
  }
  return std::nullopt;
}

std::string_view StateCode(State state) { return kStates[static_cast<size_t>(state)].code; }
std::string_view StateName(State state) { return kStates[static_cast<size_t>(state)].name; }
std::span<const State> AllStates() { return kAllStates; }

Date EasterSunday(int year) {
  // Anonymous Gregorian algorithm (Meeus, Astronomical Algorithms, after Jones/Butcher).
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return Date::Ymd(year, month, day);
}

std::vector<Holiday> HolidaysOf(State s, int year) {
  if (year < Date::kMinYear || year > Date::kMaxYear) {
    return {};
  }
  constexpr auto kWhole = HolidayScope::kState;
  constexpr auto kPart = HolidayScope::kPartial;
  using enum State;
  Builder b;
  const Date easter = EasterSunday(year);
  auto on = [year](int month, int day) { return Date::Ymd(year, month, day); };

  // Holidays of every Land (each Feiertagsgesetz lists them; 3 October is federal law).
  b.Add(on(1, 1), "Neujahr", "New Year's Day", kWhole);
  b.Add(easter.AddDays(-2), "Karfreitag", "Good Friday", kWhole);
  b.Add(easter.AddDays(1), "Ostermontag", "Easter Monday", kWhole);
  b.Add(on(5, 1), "Tag der Arbeit", "Labour Day", kWhole);
  b.Add(easter.AddDays(39), "Christi Himmelfahrt", "Ascension Day", kWhole);
  b.Add(easter.AddDays(50), "Pfingstmontag", "Whit Monday", kWhole);
  b.Add(on(10, 3), "Tag der Deutschen Einheit", "German Unity Day", kWhole);  // Art. 2 Abs. 2 EinigVtr
  b.Add(on(12, 25), "1. Weihnachtstag", "Christmas Day", kWhole);
  b.Add(on(12, 26), "2. Weihnachtstag", "Second Day of Christmas", kWhole);

  // 17 June was the Federal Republic's "Tag der deutschen Einheit" (law of 4.8.1953) until the
  // Einigungsvertrag replaced it by 3 October; 17.6.1990 (a Sunday) was its last occurrence. It
  // held in the old Länder and in West Berlin only.
  if (year == 1990) {
    if (In(s, {kBW, kBY, kHB, kHH, kHE, kNI, kNW, kRP, kSL, kSH})) {
      b.Add(on(6, 17), "Tag der deutschen Einheit (17. Juni)", "Day of German Unity (17 June)", kWhole);
    } else if (s == kBE) {
      b.Add(on(6, 17), "Tag der deutschen Einheit (17. Juni)", "Day of German Unity (17 June)", kPart);
    }
  }

  // Repentance Day: a holiday everywhere until 1994; abolished from 1995 to fund long-term care
  // insurance (§ 58 SGB XI), except in Saxony, which kept it.
  if (year <= 1994 || s == kSN) {
    b.Add(RepentanceDay(year), "Buß- und Bettag", "Day of Repentance and Prayer", kWhole);
  }

  // Epiphany: BW, BY; Saxony-Anhalt since 1993 (FeiertG LSA; first kept on 6.1.1993).
  if (In(s, {kBW, kBY}) || (s == kST && year >= 1993)) {
    b.Add(on(1, 6), "Heilige Drei Könige", "Epiphany", kWhole);
  }

  // International Women's Day: Berlin since 2019, Mecklenburg-Western Pomerania since 2023.
  if ((s == kBE && year >= 2019) || (s == kMV && year >= 2023)) {
    b.Add(on(3, 8), "Internationaler Frauentag", "International Women's Day", kWhole);
  }

  // Brandenburg lists Easter Sunday and Whit Sunday as holidays (FTG Brandenburg, since 1991).
  if (s == kBB && year >= 1991) {
    b.Add(easter, "Ostersonntag", "Easter Sunday", kWhole);
    b.Add(easter.AddDays(49), "Pfingstsonntag", "Whit Sunday", kWhole);
  }

  // Berlin one-off days (FeiertG Berlin): 8 May 2020 and 2025 (75th and 80th anniversary of the
  // liberation), 17 June 2028 (75th anniversary of the uprising of 1953).
  if (s == kBE && (year == 2020 || year == 2025)) {
    b.Add(on(5, 8), "Tag der Befreiung", "Liberation Day (end of the Second World War in Europe)", kWhole);
  }
  if (s == kBE && year == 2028) {
    b.Add(on(6, 17), "75. Jahrestag des Volksaufstandes vom 17. Juni 1953",
          "75th anniversary of the uprising of 17 June 1953", kWhole);
  }

  // Corpus Christi: whole state in BW, BY, HE, NW, RP, SL; in Saxony (Sorbian Catholic
  // municipalities near Bautzen) and Thuringia (Eichsfeld and some neighbouring places) only in
  // municipalities named by ordinance. [K] for the first year (1991) of the partial rules.
  const Date corpus_christi = easter.AddDays(60);
  if (In(s, {kBW, kBY, kHE, kNW, kRP, kSL})) {
    b.Add(corpus_christi, "Fronleichnam", "Corpus Christi", kWhole);
  } else if (In(s, {kSN, kTH}) && year >= 1991) {
    b.Add(corpus_christi, "Fronleichnam", "Corpus Christi", kPart);
  }

  // Augsburg Peace Festival: a holiday in the city of Augsburg only (Art. 1 Abs. 2 FTG Bayern).
  if (s == kBY) {
    b.Add(on(8, 8), "Augsburger Hohes Friedensfest", "Augsburg Peace Festival", kPart);
  }

  // Assumption Day: whole state in Saarland; in Bavaria only in municipalities with a
  // predominantly Catholic population (Art. 1 Abs. 1 Nr. 2 FTG Bayern).
  if (s == kSL) {
    b.Add(on(8, 15), "Mariä Himmelfahrt", "Assumption Day", kWhole);
  } else if (s == kBY) {
    b.Add(on(8, 15), "Mariä Himmelfahrt", "Assumption Day", kPart);
  }

  // World Children's Day: Thuringia since 2019.
  if (s == kTH && year >= 2019) {
    b.Add(on(9, 20), "Weltkindertag", "World Children's Day", kWhole);
  }

  // Reformation Day: the new Länder since 1990; HB, HH, NI, SH since 2018; everywhere in 2017
  // (500th anniversary, a one-off day in every Land).
  if ((IsNewLand(s)) || (In(s, {kHB, kHH, kNI, kSH}) && year >= 2018) || year == 2017) {
    b.Add(on(10, 31), "Reformationstag", "Reformation Day", kWhole);
  }

  // All Saints' Day.
  if (In(s, {kBW, kBY, kNW, kRP, kSL})) {
    b.Add(on(11, 1), "Allerheiligen", "All Saints' Day", kWhole);
  }

  return std::move(b).Finish();
}

namespace {

// Deadlines look up many single days; the lists of the supported years are therefore built once
// (thread-safe static initialisation) and searched, instead of being recomputed per day.
const std::vector<Holiday>* CachedHolidays(State state, int year) {
  constexpr int kYears = kLastHolidayYear - kFirstHolidayYear + 1;
  static const std::vector<std::vector<Holiday>> kCache = [] {
    std::vector<std::vector<Holiday>> cache;
    cache.reserve(kAllStates.size() * kYears);
    for (State s : kAllStates) {
      for (int y = kFirstHolidayYear; y <= kLastHolidayYear; ++y) {
        cache.push_back(HolidaysOf(s, y));
      }
    }
    return cache;
  }();
  if (year < kFirstHolidayYear || year > kLastHolidayYear) {
    return nullptr;
  }
  return &kCache[static_cast<size_t>(state) * kYears + static_cast<size_t>(year - kFirstHolidayYear)];
}

}  // namespace

std::optional<Holiday> HolidayOn(State state, Date date) {
  const std::vector<Holiday>* cached = CachedHolidays(state, date.year());
  std::vector<Holiday> computed;
  if (cached == nullptr) {
    computed = HolidaysOf(state, date.year());
    cached = &computed;
  }
  const auto it = std::lower_bound(cached->begin(), cached->end(), date,
                                   [](const Holiday& h, Date d) { return h.date < d; });
  if (it != cached->end() && it->date == date) {
    return *it;
  }
  return std::nullopt;
}

bool IsStatePublicHoliday(State state, Date date) {
  const auto h = HolidayOn(state, date);
  return h && h->scope == HolidayScope::kState;
}

bool IsNonWorkingDay(State state, Date date) {
  return date.IsSaturdayOrSunday() || IsStatePublicHoliday(state, date);
}

Date NextWorkingDay(State state, Date date) {
  while (IsNonWorkingDay(state, date)) {
    date = date.AddDays(1);
  }
  return date;
}

}  // namespace fairdesk::labour_law
