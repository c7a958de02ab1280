#pragma once
/// JSON text for responses. Boost.JSON writes non-integral doubles in exponent form ("8.33E0");
/// API.md promises plain decimals for hours and day counts ("38.5"), so doubles are written in
/// their shortest round-trip decimal form and everything else as Boost.JSON writes it.

#include <boost/json.hpp>

#include <string>

namespace fairdesk {

std::string ToJsonText(const boost::json::value& value);

}  // namespace fairdesk
