// The annual report (GET /api/v1/stats/report): one PDF per centre, state or the whole network,
// in German or English. Every figure comes from Service::Query with the caller's principal, so
// exact and protected figures, suppression ("·"), perturbation and closed periods are exactly
// those of the table endpoint and every other export. Charts are vector drawings
// (pdf::Document::Drawing); each is followed by a table of the same figures.

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "platform/core/clock.hpp"
#include "platform/pdf/pdf.hpp"
#include "stats/export.hpp"
#include "stats/labels.hpp"

namespace fairdesk::stats {
namespace {

constexpr std::string_view kMonthsDe[] = {"Jan", "Feb", "Mär", "Apr", "Mai", "Jun",
                                          "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"};
constexpr std::string_view kMonthsEn[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

constexpr pdf::Colour kBlue{0.0, 0.33, 0.58};
constexpr pdf::Colour kGrey{0.55, 0.55, 0.55};
constexpr pdf::Colour kLight{0.85, 0.85, 0.85};
constexpr pdf::Colour kText{0.15, 0.15, 0.15};

struct Ctx {
  bool de = true;
  const ReportLabels* labels = nullptr;
  std::string_view T(std::string_view de_text, std::string_view en_text) const { return de ? de_text : en_text; }
};

// A dimension value's name; months of the report's year by their short name (Jan, Feb, …).
std::string Label(const Ctx& c, std::string_view dim, const std::string& key) {
  if (dim == "month" && key.size() == 7) {
    const int m = std::atoi(key.c_str() + 5);
    if (m >= 1 && m <= 12) return std::string(c.de ? kMonthsDe[m - 1] : kMonthsEn[m - 1]);
  }
  return ValueName(dim, key, c.de, *c.labels);
}

std::string Format(const Ctx& c, std::int64_t v, bool money) { return FormatFigure(v, money, c.de); }

std::string Show(const Ctx& c, const Figure& f, bool money) {
  if (f.suppressed || !f.value) return std::string(kSuppressedMark);
  return Format(c, *f.value, money);
}

std::string Ym(int year, int month) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

// The top of a value axis: 1, 2 or 5 times a power of ten, at least `max`.
double NiceMax(double max) {
  if (max <= 0) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(max)));
  for (double f : {1.0, 2.0, 5.0, 10.0}) {
    if (f * p >= max) return f * p;
  }
  return 10 * p;
}

// A line per year over the months (this year solid, the previous one dashed grey); suppressed
// months leave a gap. Axis labels and a legend are text in the drawing.
void TrendChart(pdf::Document& doc, const Ctx& c, const Table& cur, const Table* prev, int year) {
  std::int64_t max = 0;
  for (const auto* t : {&cur, prev}) {
    if (!t) continue;
    for (const auto& f : t->row_totals) max = std::max(max, f.value.value_or(0));
  }
  // Gridlines at whole, round steps (1, 2 or 5 times a power of ten), at most five of them.
  const double step = std::max(1.0, NiceMax(static_cast<double>(max) / 4.0));
  const int ticks = std::max(1, static_cast<int>(std::ceil(static_cast<double>(max) / step)));
  const double top = step * ticks;
  const std::string alt = std::string(c.T("Linie der Beratungskontakte je Monat ", "Line of consultations per month in ")) +
                          std::to_string(year) + (prev ? std::string(c.T(" und im Vorjahr", " and the previous year")) : "") +
                          std::string(c.T("; die Werte stehen in der Tabelle darunter.", "; the values are in the table below."));
  doc.Drawing(200, [&, top, step, ticks](pdf::Canvas& k) {
    const double left = 48, right = 12, top_pad = 22, bottom = 24;
    const double w = k.width() - left - right, h = k.height() - top_pad - bottom;
    for (int i = 0; i <= ticks; ++i) {
      const double y = top_pad + h - h * i / static_cast<double>(ticks);
      k.Line(left, y, left + w, y, 0.5, i == 0 ? kGrey : kLight);
      k.Text(left - 6, y - 6, Format(c, static_cast<std::int64_t>(step * i), false), 7.5, pdf::Align::kEnd, kText);
    }
    const double slot = w / 12.0;
    for (int m = 0; m < 12; ++m) {
      k.Text(left + slot * (m + 0.5), top_pad + h + 5, c.de ? kMonthsDe[m] : kMonthsEn[m], 7.5, pdf::Align::kCenter, kText);
    }
    auto draw = [&](const Table& t, pdf::Colour colour, bool dashed) {
      std::vector<std::pair<double, double>> run;
      auto flush = [&] {
        k.Polyline(run, 1.6, colour, dashed);
        run.clear();
      };
      for (std::size_t i = 0; i < t.row_keys.size() && i < 12; ++i) {
        const auto& f = t.row_totals[i];
        const int m = std::atoi(t.row_keys[i].c_str() + 5);
        if (f.suppressed || !f.value || m < 1) {
          flush();
          continue;
        }
        const double x = left + slot * (m - 0.5), y = top_pad + h - h * static_cast<double>(*f.value) / top;
        run.emplace_back(x, y);
        k.Dot(x, y, 2.2, colour);
      }
      flush();
    };
    if (prev) draw(*prev, kGrey, true);
    draw(cur, kBlue, false);
    // Legend
    double x = left + w;
    auto legend = [&](const std::string& text, pdf::Colour colour, bool dashed) {
      const double tw = k.Text(x, 2, text, 8, pdf::Align::kEnd, kText);
      k.Line(x - tw - 24, 8, x - tw - 6, 8, 1.6, colour, dashed);
      x -= tw + 36;
    };
    if (prev) legend(std::to_string(year - 1), kGrey, true);
    legend(std::to_string(year), kBlue, false);
  }, alt);
}

// Horizontal bars with the label left and the (protected) value right of the bar.
void BarChart(pdf::Document& doc, const Ctx& c, const std::vector<std::pair<std::string, Figure>>& bars,
              const std::string& alt, bool money) {
  if (bars.empty()) return;
  std::int64_t max = 1;
  for (const auto& [_, f] : bars) max = std::max(max, f.value.value_or(0));
  const double row = 15;
  doc.Drawing(row * static_cast<double>(bars.size()) + 6, [&, max](pdf::Canvas& k) {
    const double label_w = 180, value_w = 70;
    const double w = k.width() - label_w - value_w;
    for (std::size_t i = 0; i < bars.size(); ++i) {
      const auto& [label, f] = bars[i];
      const double y = 3 + row * static_cast<double>(i);
      // Cut to the label column by its rendered width (a cut by bytes overflowed the drawing and
      // could split a character).
      k.Text(label_w - 8, y, label, 8, pdf::Align::kEnd, kText, label_w - 8);
      double bw = 0;
      if (!f.suppressed && f.value && *f.value > 0) {
        bw = std::max(1.0, w * static_cast<double>(*f.value) / static_cast<double>(max));
        k.Rect(label_w, y + 1.5, bw, row - 4, kBlue);
      }
      k.Text(label_w + bw + 5, y, Show(c, f, money), 8, pdf::Align::kStart, kText);
    }
    k.Line(label_w, 0, label_w, k.height(), 0.6, kGrey);
  }, alt);
}

Figure Change(const Figure& now, const Figure& before) {
  if (now.suppressed || before.suppressed || !now.value || !before.value || *before.value == 0) return {std::nullopt, true};
  return {((*now.value - *before.value) * 1000 / *before.value), false};  // per mille
}

std::string ShowChange(const Ctx& c, const Figure& f) {
  if (!f.value) return "–";
  const std::int64_t pm = *f.value;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld%c%lld %%", pm > 0 ? "+" : (pm < 0 ? "-" : ""),
                static_cast<long long>(std::llabs(pm) / 10), c.de ? ',' : '.', static_cast<long long>(std::llabs(pm) % 10));
  return buf;
}

}  // namespace

Result<std::string> AnnualReportPdf(Service& service, const Principal& p, const ReportRequest& r) {
  const Date today = *Date::Parse(clock::TodayIso());
  const YearMonth now = YearMonth::Of(today);
  if (r.year < 2000 || r.year > now.year()) {
    return Fail(Error::Invalid("year", "must be a year from 2000 to " + std::to_string(now.year())));
  }
  // The months of the year the caller may see: all of a past year; this year up to the running
  // month (exact) or the last complete one (protected).
  int last = 12;
  if (r.year == now.year()) {
    const YearMonth end = Service::ProtectedFor(p, r.centre) ? Service::LatestProtectedMonth() : now;
    if (end.year() < r.year) return Fail(Error::Invalid("year", "has no complete month yet"));
    last = end.month();
  }
  const ReportLabels labels = FD_TRY(service.Labels());
  Ctx c{r.lang != "en", &labels};

  auto query = [&](std::string measure, std::string rows, int year, std::optional<int> revision) -> Result<Table> {
    TableRequest q;
    q.measure = std::move(measure);
    q.rows = std::move(rows);
    q.from = *YearMonth::Parse(Ym(year, 1));
    q.to = *YearMonth::Parse(Ym(year, last));
    q.state = r.state;
    q.centre = r.centre;
    q.revision = revision;
    return service.Query(p, std::move(q));
  };
  const bool with_previous = r.year > 2000;

  // Key figures, this year and the previous one (same months).
  struct Key {
    std::string_view measure;
    Table now;
    std::optional<Table> before;
  };
  std::vector<Key> keys;
  for (std::string_view m : {"consultations", "persons", "cases_opened", "cases_closed", "wages_recovered_cents"}) {
    Key k{m, FD_TRY(query(std::string(m), "year", r.year, r.revision)), std::nullopt};
    if (with_previous) k.before = FD_TRY(query(std::string(m), "year", r.year - 1, std::nullopt));
    keys.push_back(std::move(k));
  }
  const Table& first = keys.front().now;
  Table trend = FD_TRY(query("consultations", "month", r.year, r.revision));
  std::optional<Table> trend_before;
  if (with_previous) trend_before = FD_TRY(query("consultations", "month", r.year - 1, std::nullopt));
  Table topics = FD_TRY(query("consultations", "topic", r.year, r.revision));
  const std::string third_dim = first.scope_centre ? "channel" : first.scope_state ? "centre" : "state";
  Table third = FD_TRY(query("consultations", third_dim, r.year, r.revision));
  Table outcomes = FD_TRY(query("cases_closed", "outcome", r.year, r.revision));

  // Title and scope.
  std::string scope;
  if (first.scope_centre) scope = Label(c, "centre", *first.scope_centre);
  else if (first.scope_state) scope = Label(c, "state", *first.scope_state);
  else scope = std::string(c.T("bundesweit", "nationwide"));
  const std::string title = std::string(c.T("Jahresbericht ", "Annual report ")) + std::to_string(r.year) + " – " + scope;
  pdf::Document doc({.title = title,
                     .author = "Faire Integration",
                     .subject = std::string(c.T("Statistik der Beratung", "Counselling statistics")),
                     .footer = title,
                     .lang = c.de ? "de" : "en",
                     .tagged = true});
  doc.Heading(title);
  const std::string months = Ym(r.year, 1) + " – " + Ym(r.year, last);
  doc.Paragraph(std::string(c.T("Berichtszeitraum ", "Reporting period ")) + months +
                (last < 12 ? std::string(c.T(" (Jahr noch nicht abgeschlossen)", " (year not yet complete)")) : "") + ". " +
                std::string(c.T("Erstellt am ", "Produced on ")) + today.ToString() + ".");
  doc.Paragraph(first.protected_
                    ? std::string(c.T("Geschützte Zahlen: Werte von 1 bis 4 und was sie verraten würde erscheinen als „·“; "
                                      "übrige Werte sind leicht überlagert (Cell-Key-Verfahren), Summen daher nicht genau additiv.",
                                      "Protected figures: values of 1 to 4, and whatever would reveal them, appear as “·”; other "
                                      "values are slightly perturbed (cell-key method), so totals are not exactly additive."))
                    : std::string(c.T("Exakte Zahlen der eigenen Beratungsstelle.", "Exact figures of the own advice centre.")),
                {.italic = true});
  if (first.frozen) {
    const auto& f = *first.frozen;
    std::string text = std::string(c.T("Abgeschlossener Zeitraum ", "Closed period ")) + f.label + ", " +
                       std::string(c.T("abgeschlossen am ", "closed on ")) + f.closed_at.substr(0, 10) + ". ";
    if (f.revision == 0) text += std::string(c.T("Stand: wie abgeschlossen.", "Figures as closed."));
    else text += "Revision " + std::to_string(f.revision) + ", " + f.revision_at.substr(0, 10) + ": " + f.revision_reason.value_or("");
    doc.Paragraph(text, {.bold = true});
  }

  const std::string y0 = std::to_string(r.year), y1 = std::to_string(r.year - 1);
  // 1. Key figures
  doc.Heading(c.T("Kennzahlen", "Key figures"), 2);
  {
    std::vector<std::string> header{std::string(c.T("Kennzahl", "Measure")), y0};
    if (with_previous) {
      header.push_back(y1);
      header.push_back(std::string(c.T("Veränderung", "Change")));
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& k : keys) {
      const bool money = k.measure == "wages_recovered_cents";
      std::vector<std::string> row{MeasureName(k.measure, c.de), Show(c, k.now.total, money)};
      if (k.before) {
        row.push_back(Show(c, k.before->total, money));
        row.push_back(ShowChange(c, Change(k.now.total, k.before->total)));
      }
      rows.push_back(std::move(row));
    }
    doc.Table(header, rows, with_previous ? std::vector<double>{0.32, 0.24, 0.24, 0.2} : std::vector<double>{0.6, 0.4});
  }

  // 2. Trend by month: line, then the table.
  doc.Heading(std::string(c.T("Beratungskontakte je Monat", "Consultations by month")), 2);
  TrendChart(doc, c, trend, trend_before ? &*trend_before : nullptr, r.year);
  {
    std::vector<std::string> header{std::string(c.T("Monat", "Month")), y0};
    if (trend_before) header.push_back(y1);
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < trend.row_keys.size(); ++i) {
      std::vector<std::string> row{Label(c, "month", trend.row_keys[i]), Show(c, trend.row_totals[i], false)};
      if (trend_before) row.push_back(i < trend_before->row_totals.size() ? Show(c, trend_before->row_totals[i], false) : "–");
      rows.push_back(std::move(row));
    }
    std::vector<std::string> sum{std::string(c.T("Summe", "Total")), Show(c, trend.total, false)};
    if (trend_before) sum.push_back(Show(c, trend_before->total, false));
    rows.push_back(std::move(sum));
    doc.Table(header, rows);
  }

  // 3./4. Bars by topic and by state (centre, channel), then their tables.
  auto bars_section = [&](const Table& t, std::string_view dim, std::string heading, std::string dim_label, bool sort) {
    doc.Heading(heading, 2);
    std::vector<std::size_t> order(t.row_keys.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    if (sort) {
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return t.row_totals[a].value.value_or(-1) > t.row_totals[b].value.value_or(-1);
      });
    }
    std::vector<std::pair<std::string, Figure>> bars;
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i : order) {
      bars.emplace_back(Label(c, dim, t.row_keys[i]), t.row_totals[i]);
      rows.push_back({Label(c, dim, t.row_keys[i]), Show(c, t.row_totals[i], false)});
    }
    rows.push_back({std::string(c.T("Summe", "Total")), Show(c, t.total, false)});
    if (bars.empty()) {
      doc.Paragraph(std::string(c.T("Keine Zahlen in diesem Zeitraum.", "No figures in this period.")));
      return;
    }
    BarChart(doc, c, bars,
             heading + std::string(c.T(" als Balken; die Werte stehen in der Tabelle darunter.",
                                       " as bars; the values are in the table below.")),
             false);
    doc.Table({dim_label, y0}, rows, {0.7, 0.3});
  };
  bars_section(topics, "topic", std::string(c.T("Beratungskontakte nach Thema", "Consultations by topic")),
               std::string(c.T("Thema", "Topic")), true);
  if (third_dim == "state") {
    bars_section(third, "state", std::string(c.T("Beratungskontakte nach Land", "Consultations by state")),
                 std::string(c.T("Land", "State")), false);
  } else if (third_dim == "centre") {
    bars_section(third, "centre", std::string(c.T("Beratungskontakte nach Beratungsstelle", "Consultations by advice centre")),
                 std::string(c.T("Beratungsstelle", "Advice centre")), false);
  } else {
    bars_section(third, "channel", std::string(c.T("Beratungskontakte nach Zugangsweg", "Consultations by channel")),
                 std::string(c.T("Zugangsweg", "Channel")), true);
  }

  // 5. Cases closed by outcome (a table).
  doc.Heading(std::string(c.T("Abgeschlossene Fälle nach Ergebnis", "Cases closed by outcome")), 2);
  {
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < outcomes.row_keys.size(); ++i) {
      rows.push_back({Label(c, "outcome", outcomes.row_keys[i]), Show(c, outcomes.row_totals[i], false)});
    }
    rows.push_back({std::string(c.T("Summe", "Total")), Show(c, outcomes.total, false)});
    doc.Table({std::string(c.T("Ergebnis", "Outcome")), y0}, rows, {0.7, 0.3});
  }
  doc.Paragraph(std::string(c.T("Gezählt wird nach dem Monat der Beratung, der Eröffnung oder des Abschlusses; "
                                "ein Fall zählt unter seinem Hauptthema, eine Person einmal je Zeitraum.",
                                "Counted by the month of the consultation, of opening or of closing; a case counts under "
                                "its main topic, a person once per period.")),
                {.size = 8.5, .grey = 0.3});
  return doc.Finish();
}

}  // namespace fairdesk::stats
