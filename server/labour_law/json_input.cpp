#include "labour_law/json_input.hpp"

#include <cmath>

namespace fairdesk::labour_law {
namespace {

// Integers beyond this are not exactly representable as doubles and far beyond any legal figure.
constexpr int64_t kMaxJsonInteger = int64_t{1} << 53;
// Ten billion euros: no wage claim comes near it, and products with hours stay inside int64.
constexpr int64_t kMaxCents = int64_t{1'000'000'000'000};

std::optional<int64_t> ToInteger(const boost::json::value& v) {
  if (v.is_int64()) {
    return v.get_int64();
  }
  if (v.is_uint64()) {
    const uint64_t u = v.get_uint64();
    if (u > static_cast<uint64_t>(kMaxJsonInteger)) {
      return std::nullopt;
    }
    return static_cast<int64_t>(u);
  }
  if (v.is_double()) {
    const double d = v.get_double();
    if (!std::isfinite(d) || std::fabs(d) > static_cast<double>(kMaxJsonInteger) || d != std::trunc(d)) {
      return std::nullopt;
    }
    return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> ToHundredths(const boost::json::value& v) {
  if (v.is_int64() || v.is_uint64()) {
    const auto i = ToInteger(v);
    if (!i || *i > kMaxJsonInteger / 100 || *i < -kMaxJsonInteger / 100) {
      return std::nullopt;
    }
    return *i * 100;
  }
  if (!v.is_double()) {
    return std::nullopt;
  }
  const double d = v.get_double();
  if (!std::isfinite(d) || std::fabs(d) > 1e12) {
    return std::nullopt;
  }
  const int64_t candidate = std::llround(d * 100.0);
  const double back = static_cast<double>(candidate) / 100.0;
  if (back == d || std::nextafter(back, HUGE_VAL) == d || std::nextafter(back, -HUGE_VAL) == d) {
    return candidate;
  }
  return std::nullopt;
}

boost::json::value HundredthsToJson(int64_t hundredths) {
  if (hundredths % 100 == 0) {
    return boost::json::value(hundredths / 100);
  }
  return boost::json::value(static_cast<double>(hundredths) / 100.0);
}

FieldReader::FieldReader(const boost::json::object& object, std::string path, std::vector<FieldError>& errors)
    : object_(object), path_(std::move(path)), errors_(errors) {}

std::string FieldReader::PathOf(std::string_view key) const {
  if (path_.empty()) {
    return std::string(key);
  }
  return path_ + "." + std::string(key);
}

void FieldReader::AddError(std::string_view key, std::string message) {
  errors_.push_back({PathOf(key), std::move(message)});
}

const boost::json::value* FieldReader::Find(std::string_view key, Need need) {
  known_.emplace(key);
  const boost::json::value* v = object_.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (need == Need::kRequired) {
      AddError(key, "is required");
    }
    return nullptr;
  }
  return v;
}

std::optional<Date> FieldReader::GetDate(std::string_view key, Need need) {
  const auto* v = Find(key, need);
  if (!v) {
    return std::nullopt;
  }
  if (v->is_string()) {
    if (auto d = Date::Parse(v->get_string())) {
      return d;
    }
  }
  AddError(key, "must be an existing date in the form YYYY-MM-DD");
  return std::nullopt;
}

std::optional<YearMonth> FieldReader::GetMonth(std::string_view key, Need need) {
  const auto* v = Find(key, need);
  if (!v) {
    return std::nullopt;
  }
  if (v->is_string()) {
    if (auto m = YearMonth::Parse(v->get_string())) {
      return m;
    }
  }
  AddError(key, "must be a month in the form YYYY-MM");
  return std::nullopt;
}

std::optional<Cents> FieldReader::GetCents(std::string_view key, Need need) {
  const auto* v = Find(key, need);
  if (!v) {
    return std::nullopt;
  }
  if (!v->is_number()) {
    AddError(key, "must be an integer number of cents");
    return std::nullopt;
  }
  const auto i = ToInteger(*v);
  if (!i) {
    AddError(key, "must be an integer number of cents");
    return std::nullopt;
  }
  if (*i < 0) {
    AddError(key, "must not be negative");
    return std::nullopt;
  }
  if (*i > kMaxCents) {
    AddError(key, "is too large");
    return std::nullopt;
  }
  return Cents(*i);
}

std::optional<int64_t> FieldReader::GetHundredths(std::string_view key, Need need, int64_t max_hundredths) {
  const auto* v = Find(key, need);
  if (!v) {
    return std::nullopt;
  }
  if (!v->is_number()) {
    AddError(key, "must be a number");
    return std::nullopt;
  }
  if ((v->is_double() && v->get_double() < 0) || (v->is_int64() && v->get_int64() < 0)) {
    AddError(key, "must not be negative");
    return std::nullopt;
  }
  const auto h = ToHundredths(*v);
  if (!h) {
    AddError(key, "must be a number with at most two decimals");
    return std::nullopt;
  }
  if (*h > max_hundredths) {
    AddError(key, "must be at most " + std::to_string(max_hundredths / 100) +
                      (max_hundredths % 100 ? "." + std::to_string(max_hundredths % 100) : std::string()));
    return std::nullopt;
  }
  return h;
}

std::optional<int64_t> FieldReader::GetInteger(std::string_view key, Need need, int64_t min, int64_t max) {
  const auto* v = Find(key, need);
  if (!v) {
    return std::nullopt;
  }
  const auto i = v->is_number() ? ToInteger(*v) : std::nullopt;
  if (!i) {
    AddError(key, "must be an integer");
    return std::nullopt;
  }
  if (*i < min || *i > max) {
    AddError(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return i;
}

std::optional<bool> FieldReader::GetBool(std::string_view key, Need need) {
  const auto* v = Find(key, need);
  if (!v) {
    return std::nullopt;
  }
  if (!v->is_bool()) {
    AddError(key, "must be true or false");
    return std::nullopt;
  }
  return v->get_bool();
}

std::optional<size_t> FieldReader::GetEnum(std::string_view key, Need need,
                                           std::initializer_list<std::string_view> allowed) {
  const auto* v = Find(key, need);
  if (!v) {
    return std::nullopt;
  }
  if (v->is_string()) {
    size_t index = 0;
    for (std::string_view a : allowed) {
      if (a == std::string_view(v->get_string())) {
        return index;
      }
      ++index;
    }
  }
  std::string message = "must be one of";
  for (std::string_view a : allowed) {
    message += " ";
    message += a;
  }
  AddError(key, std::move(message));
  return std::nullopt;
}

std::optional<State> FieldReader::GetState(std::string_view key, Need need) {
  const auto* v = Find(key, need);
  if (!v) {
    return std::nullopt;
  }
  if (v->is_string()) {
    if (auto s = ParseState(v->get_string())) {
      return s;
    }
  }
  AddError(key, "must be a federal state code: BW BY BE BB HB HH HE MV NI NW RP SL SN ST SH TH");
  return std::nullopt;
}

std::optional<std::string> FieldReader::GetString(std::string_view key, Need need, size_t max_length) {
  const auto* v = Find(key, need);
  if (!v) {
    return std::nullopt;
  }
  if (!v->is_string() || v->get_string().size() > max_length) {
    AddError(key, "must be a string of at most " + std::to_string(max_length) + " bytes");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

const boost::json::array* FieldReader::GetArray(std::string_view key, Need need, size_t min, size_t max) {
  const auto* v = Find(key, need);
  if (!v) {
    return nullptr;
  }
  if (!v->is_array()) {
    AddError(key, "must be an array");
    return nullptr;
  }
  const auto& a = v->get_array();
  if (a.size() < min || a.size() > max) {
    AddError(key, "must contain " + std::to_string(min) + " to " + std::to_string(max) + " entries");
    return nullptr;
  }
  return &a;
}

void FieldReader::RejectUnknownFields() {
  // Keys are client data: report at most a few, each cut to 64 bytes at a UTF-8 boundary, so that
  // an error list cannot be blown up.
  int reported = 0;
  for (const auto& kv : object_) {
    if (!known_.contains(std::string_view(kv.key()))) {
      if (++reported > 10) {
        break;
      }
      std::string_view key = kv.key();
      if (key.size() > 64) {
        size_t cut = 64;
        while (cut > 0 && (static_cast<unsigned char>(key[cut]) & 0xC0) == 0x80) {
          --cut;
        }
        key = key.substr(0, cut);
      }
      errors_.push_back({PathOf(key.empty() ? std::string_view("\"\"") : key), "unknown field"});
    }
  }
}

}  // namespace fairdesk::labour_law
