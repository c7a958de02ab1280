// Settings of admins: the topic taxonomy, the retention period of closed cases, and the history
// of every change of them and of the routing rules (Service::ReplaceRoutingRules). Each change is
// audited ("settings", the kind as record id) and kept with what was there before.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "audit/audit.hpp"
#include "cases/json.hpp"
#include "cases/service.hpp"
#include "platform/core/clock.hpp"
#include "platform/crypto/crypto.hpp"

namespace fairdesk::cases {
namespace json = boost::json;

namespace {
constexpr std::string_view kRetentionSetting = "retention_years";
constexpr int kMinRetentionYears = 1;
constexpr int kMaxRetentionYears = 10;

bool IsTopicCode(std::string_view code) {
  if (code.size() < 2 || code.size() > 40 || !std::islower(static_cast<unsigned char>(code[0]))) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
  });
}

json::value TopicsJson(const std::vector<Topic>& topics) {
  json::array a;
  for (const auto& t : topics) a.push_back(ToJson(t));
  return a;
}
}  // namespace

std::string Service::SettingsETag(std::string_view kind, const json::value& content) {
  return "\"" + std::string(kind) + "." + crypto::Sha256Hex(json::serialize(content)).substr(0, 24) + "\"";
}
json::value Service::TopicsContent(const std::vector<Topic>& topics) { return TopicsJson(topics); }
json::value Service::RulesContent(const std::vector<RoutingRule>& rules) {
  json::array a;
  for (const auto& r : rules) a.push_back(ToJson(r));
  return a;
}
json::value Service::RetentionContent(const RetentionSettings& r) {
  return json::object{{"retention_years", r.years}, {"updated_at", r.updated_at ? json::value(*r.updated_at) : nullptr}};
}

Status Service::SaveSettingsChange(db::Session& s, const Principal& p, std::string_view kind, json::value before,
                                   json::value after) {
  SettingsChange c;
  c.id = crypto::NewId("set");
  c.kind = std::string(kind);
  c.before = std::move(before);
  c.after = std::move(after);
  c.changed_by = p.user_id;
  c.changed_at = clock::NowUnix();
  FD_TRY_VOID(store_.InsertSettingsChange(s, c));
  return audit::Record(s, p, audit::kUpdate, "settings", kind);
}

Status Service::ReplaceTopics(const Principal& p, std::vector<Topic> topics, const IfMatch& if_match) {
  std::vector<FieldError> errors;
  if (topics.empty()) errors.push_back({"topics", "must not be empty"});
  for (std::size_t i = 0; i < topics.size(); ++i) {
    const std::string at = "topics[" + std::to_string(i) + "]";
    auto& t = topics[i];
    if (!IsTopicCode(t.code)) {
      errors.push_back({at + ".code", "must be 2 to 40 lower-case letters, digits or '_', starting with a letter"});
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (topics[j].code == t.code) errors.push_back({at + ".code", "is used by another topic"});
    }
    t.position = static_cast<int>((i + 1) * 10);  // the order of the list
  }
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return db_.Write([&](db::Session& s) -> Status {
    auto before = FD_TRY(store_.Topics(s));
    if (!if_match.Allows(SettingsETag("topics", TopicsContent(before)))) return Fail(Error::Stale());
    auto rules = FD_TRY(store_.RoutingRules(s));
    std::vector<FieldError> in_use;
    for (const auto& old : before) {
      if (std::any_of(topics.begin(), topics.end(), [&](const Topic& t) { return t.code == old.code; })) continue;
      const auto used = FD_TRY(store_.TopicUse(s, old.code));
      const bool in_rule = std::any_of(rules.begin(), rules.end(), [&](const RoutingRule& r) {
        return std::find(r.topics.begin(), r.topics.end(), old.code) != r.topics.end();
      });
      if (used > 0 || in_rule) {
        in_use.push_back({"topics", "must keep the topic \"" + old.code + "\": " +
                                        (used > 0 ? std::to_string(used) + " cases or consultations use it"
                                                  : std::string("a routing rule uses it")) +
                                        " (mark it out of scope instead)"});
      }
    }
    if (!in_use.empty()) return Fail(Error::Invalid(std::move(in_use)));
    FD_TRY_VOID(store_.ReplaceTopics(s, topics));
    return SaveSettingsChange(s, p, "topics", TopicsJson(before), TopicsJson(topics));
  });
}

Result<RetentionSettings> Service::RetentionIn(db::Session& s) {
  RetentionSettings out;
  out.years = out.default_years = options_.retention_years;
  if (auto stored = FD_TRY(store_.Setting(s, kRetentionSetting))) {
    int years = 0;
    const auto& v = stored->value;
    if (auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), years); ec == std::errc{} && years > 0) {
      out.years = years;
      out.from_setting = true;
      out.updated_at = stored->updated_at;
      out.updated_by_name = stored->updated_by_name;
    }
  }
  return out;
}

Result<RetentionSettings> Service::Retention() {
  RetentionSettings out;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    out = FD_TRY(RetentionIn(s));
    return {};
  }));
  return out;
}

Result<RetentionSettings> Service::SetRetention(const Principal& p, int years, const IfMatch& if_match) {
  if (years < kMinRetentionYears || years > kMaxRetentionYears) {
    return Fail(Error::Invalid("retention_years", "must be between " + std::to_string(kMinRetentionYears) + " and " +
                                                      std::to_string(kMaxRetentionYears) + " years"));
  }
  RetentionSettings out;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    auto before = FD_TRY(RetentionIn(s));
    if (!if_match.Allows(SettingsETag("retention", RetentionContent(before)))) return Fail(Error::Stale());
    FD_TRY_VOID(store_.PutSetting(s, kRetentionSetting, std::to_string(years), p.user_id, clock::NowUnix()));
    FD_TRY_VOID(SaveSettingsChange(s, p, "retention", json::object{{"retention_years", before.years}},
                                   json::object{{"retention_years", years}}));
    out = FD_TRY(RetentionIn(s));
    return {};
  }));
  return out;
}

Result<std::vector<SettingsChange>> Service::SettingsHistory(std::optional<std::string> kind, int limit) {
  std::vector<SettingsChange> out;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    out = FD_TRY(store_.SettingsChanges(s, std::move(kind), limit));
    return {};
  }));
  return out;
}

}  // namespace fairdesk::cases
