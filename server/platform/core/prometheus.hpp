#pragma once
/// Prometheus text format helpers shared by the metrics of the HTTP server, the named queries and
/// the scheduled jobs.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace fairdesk::prometheus {

/// Appends the `_bucket` (cumulative counts per upper bound, then +Inf), `_sum` and `_count`
/// lines of histogram `name` with `labels` (`key="value",…`, already escaped; may be empty).
/// `counts[i]` is the number of observations <= `bounds[i]`.
void AppendHistogram(std::string& out, std::string_view name, std::string_view labels, std::span<const double> bounds,
                     std::span<const std::int64_t> counts, std::int64_t count, double sum);

}  // namespace fairdesk::prometheus
