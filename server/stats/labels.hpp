#pragma once
/// Names of what a statistics table shows, in German or English, for the exports people read
/// (the XLSX and PDF of a table, the annual report). JSON and CSV keep the codes (API.md).

#include <cstdint>
#include <string>
#include <string_view>

#include "stats/service.hpp"

namespace fairdesk::stats {

/// "Beratungskontakte" / "Consultations" for `consultations`; the code when unknown.
std::string MeasureName(std::string_view measure, bool de);

/// "Staatsangehörigkeit" / "Nationality" for `nationality`; the code when unknown.
std::string DimensionName(std::string_view dim, bool de);

/// The name of a dimension's value: states, channels, outcomes, genders and the other coded
/// categories by a fixed table, topics and centres by `labels` (from the database). Months,
/// quarters, years, country and language codes and WZ sections stay as they are.
std::string ValueName(std::string_view dim, const std::string& key, bool de, const ReportLabels& labels);

/// 1.234.567 (de) or 1,234,567 (en); money (cents) in euros with cents: 1.234,56 € / €1,234.56.
std::string FormatFigure(std::int64_t v, bool money, bool de);

}  // namespace fairdesk::stats
