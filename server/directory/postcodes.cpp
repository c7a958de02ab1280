#include "directory/postcodes.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace fairdesk::directory {

extern const PostcodeEntry kPostcodeTable[];
extern const std::size_t kPostcodeTableSize;

namespace {

const PostcodeEntry* Find(std::string_view postcode) {
  if (postcode.size() != 5) return nullptr;
  const PostcodeEntry* begin = kPostcodeTable;
  const PostcodeEntry* end = kPostcodeTable + kPostcodeTableSize;
  auto it = std::lower_bound(begin, end, postcode,
                             [](const PostcodeEntry& e, std::string_view code) { return std::string_view(e.code) < code; });
  if (it == end || std::string_view(it->code) != postcode) return nullptr;
  return it;
}

std::string Fold(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  // Trim spaces.
  auto b = out.find_first_not_of(' ');
  auto e = out.find_last_not_of(' ');
  if (b == std::string::npos) return "";
  return out.substr(b, e - b + 1);
}

}  // namespace

std::optional<GeoPoint> PostcodeLocation(std::string_view postcode) {
  const auto* e = Find(postcode);
  if (!e) return std::nullopt;
  return GeoPoint{e->lat_e5 / 1e5, e->lon_e5 / 1e5};
}

std::string PostcodePlace(std::string_view postcode) {
  const auto* e = Find(postcode);
  return e ? std::string(e->place) : std::string();
}

std::optional<std::string> PostcodeOfPlace(std::string_view place) {
  std::string want = Fold(place);
  if (want.empty()) return std::nullopt;
  for (std::size_t i = 0; i < kPostcodeTableSize; ++i) {
    if (Fold(kPostcodeTable[i].place) == want) return std::string(kPostcodeTable[i].code);
  }
  return std::nullopt;
}

double DistanceKm(GeoPoint a, GeoPoint b) {
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  double dlat = (b.lat - a.lat) * kRad, dlon = (b.lon - a.lon) * kRad;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(a.lat * kRad) * std::cos(b.lat * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * 6371.0 * std::asin(std::min(1.0, std::sqrt(h)));
}

std::size_t PostcodeCount() { return kPostcodeTableSize; }

}  // namespace fairdesk::directory
