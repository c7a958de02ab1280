#include "platform/core/prometheus.hpp"

#include <fmt/format.h>

#include <iterator>

namespace fairdesk::prometheus {

void AppendHistogram(std::string& out, std::string_view name, std::string_view labels, std::span<const double> bounds,
                     std::span<const std::int64_t> counts, std::int64_t count, double sum) {
  auto it = std::back_inserter(out);
  const std::string_view sep = labels.empty() ? "" : ",";
  for (std::size_t i = 0; i < bounds.size() && i < counts.size(); ++i) {
    fmt::format_to(it, "{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, sep, bounds[i], counts[i]);
  }
  fmt::format_to(it, "{}_bucket{{{}{}le=\"+Inf\"}} {}\n", name, labels, sep, count);
  fmt::format_to(it, "{}_sum{{{}}} {}\n", name, labels, sum);
  fmt::format_to(it, "{}_count{{{}}} {}\n", name, labels, count);
}

}  // namespace fairdesk::prometheus
