#include "platform/core/body.hpp"

#include <gtest/gtest.h>

#include <array>

namespace fairdesk::body {
namespace {
namespace json = boost::json;

constexpr std::array<std::string_view, 3> kChannels = {"in_person", "phone", "video"};
constexpr std::array<std::string_view, 2> kTopics = {"wages", "leave"};

struct Shift {
  std::string start;
  double hours = 0;
};

struct Consent {
  bool storage = false;
  std::optional<std::string> date;
};

struct Note {
  std::string text;
  std::optional<std::string> phone;
  std::string channel;
  std::optional<int> minutes;
  std::int64_t amount_cents = 0;
  bool urgent = false;
  std::optional<std::string> due;
  std::vector<std::string> topics;
  std::vector<std::string> tags;
  std::optional<Consent> consent;
  std::vector<Shift> shifts;
};

bool IsDigits(std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789 +") == std::string_view::npos; }

const Body<Consent>& ConsentBody() {
  static const auto b = Body<Consent>()
                            .Bool("storage", &Consent::storage, Need::kRequired)
                            .Date("date", &Consent::date, Need::kOptional, {.when = When::kPastOrToday})
                            .Rule("date", [](const Consent& c) { return !c.storage || c.date.has_value(); },
                                  "is required when a consent is given");
  return b;
}

const Body<Note>& NoteBody() {
  static const auto shift = Body<Shift>()
                                .Text("start", &Shift::start, Need::kRequired, {.max = 16, .min = 16})
                                .Number("hours", &Shift::hours, Need::kRequired, {.min = 0, .max = 24, .decimals = 2});
  static const auto b =
      Body<Note>()
          .Text("text", &Note::text, Need::kRequired, {.max = 20, .min = 1, .multiline = true})
          .Text("phone", &Note::phone, Need::kOptional,
                {.max = 30, .valid = IsDigits, .invalid = "may contain only digits, spaces and +"})
          .Enum("channel", &Note::channel, Need::kRequired, kChannels)
          .Int("minutes", &Note::minutes, Need::kOptional, {.min = 1, .max = 600})
          .Int("amount_cents", &Note::amount_cents, Need::kOptional, {.min = 0})
          .Bool("urgent", &Note::urgent, Need::kOptional)
          .Date("due", &Note::due, Need::kOptional)
          .Enums("topics", &Note::topics, Need::kOptional, kTopics, {.max_items = 2, .unique = true})
          .Texts("tags", &Note::tags, Need::kOptional, {.max_items = 3, .max_len = 5})
          .Object("consent", &Note::consent, Need::kOptional, ConsentBody())
          .Objects("shifts", &Note::shifts, Need::kOptional, shift, {.max_items = 2});
  return b;
}

std::vector<std::string> Fields(const Error& e) {
  std::vector<std::string> out;
  for (const auto& f : e.errors) out.push_back(f.field);
  return out;
}

TEST(BodyTest, ReadsEveryKindOfField) {
  auto n = NoteBody().Parse(R"({"text":"line 1\nline 2","phone":"+49 30 1","channel":"phone","minutes":45,
    "amount_cents":12345,"urgent":true,"due":"2026-03-06","topics":["wages"],"tags":["a","bb"],
    "consent":{"storage":true,"date":"2026-01-02"},"shifts":[{"start":"2026-03-06T08:00","hours":7.5}]})");
  ASSERT_TRUE(n) << n.error().internal;
  EXPECT_EQ(n->text, "line 1\nline 2");
  EXPECT_EQ(n->phone, "+49 30 1");
  EXPECT_EQ(n->channel, "phone");
  EXPECT_EQ(n->minutes, 45);
  EXPECT_EQ(n->amount_cents, 12345);
  EXPECT_TRUE(n->urgent);
  EXPECT_EQ(n->due, "2026-03-06");
  EXPECT_EQ(n->topics, std::vector<std::string>{"wages"});
  EXPECT_EQ(n->tags, (std::vector<std::string>{"a", "bb"}));
  ASSERT_TRUE(n->consent);
  EXPECT_TRUE(n->consent->storage);
  ASSERT_EQ(n->shifts.size(), 1u);
  EXPECT_DOUBLE_EQ(n->shifts[0].hours, 7.5);
}

TEST(BodyTest, NamesEveryProblemByItsPath) {
  auto n = NoteBody().Parse(R"({"phone":"abc","channel":"fax","minutes":0,"amount_cents":-1,"urgent":"yes",
    "due":"2026-02-30","topics":["wages","wages"],"tags":["toolong"],"consent":{"date":"2026-01-01","x":1},
    "shifts":[{"start":"2026-03-06T08:00","hours":7.555}],"unknown":1})");
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().kind, ErrorKind::kInvalid);
  auto fields = Fields(n.error());
  for (const char* f : {"text", "phone", "channel", "minutes", "amount_cents", "urgent", "due", "topics[1]",
                        "tags[0]", "consent.storage", "consent.x", "shifts[0].hours", "unknown"}) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), f), fields.end()) << f;
  }
}

TEST(BodyTest, SingleLineTextRefusesNewlinesAndNullOnlyClearsOptionalMembers) {
  auto n = NoteBody().Parse(R"({"text":"ok","channel":"phone","phone":"1\n2"})");
  ASSERT_FALSE(n);
  EXPECT_EQ(Fields(n.error()), std::vector<std::string>{"phone"});

  auto m = NoteBody().Parse(R"({"text":"ok","channel":null,"phone":null})");
  ASSERT_FALSE(m);
  EXPECT_EQ(Fields(m.error()), std::vector<std::string>{"channel"});
}

TEST(BodyTest, CrossFieldRuleRunsOnlyWhenFieldsAreValid) {
  auto n = NoteBody().Parse(R"({"text":"ok","channel":"phone","consent":{"storage":true}})");
  ASSERT_FALSE(n);
  EXPECT_EQ(Fields(n.error()), std::vector<std::string>{"consent.date"});
}

TEST(BodyTest, PatchChangesOnlyTheFieldsSentAndNullClears) {
  Note note;
  note.text = "before";
  note.channel = "video";
  note.phone = "123";
  note.minutes = 30;
  auto sent = NoteBody().Apply(json::parse(R"({"phone":null,"minutes":60})"), note);
  ASSERT_TRUE(sent) << sent.error().internal;
  EXPECT_EQ(*sent, (std::vector<std::string>{"phone", "minutes"}));
  EXPECT_EQ(note.text, "before");
  EXPECT_EQ(note.channel, "video");
  EXPECT_FALSE(note.phone);
  EXPECT_EQ(note.minutes, 60);

  auto bad = NoteBody().Apply(json::parse(R"({"text":null})"), note);
  ASSERT_FALSE(bad);
  EXPECT_EQ(Fields(bad.error()), std::vector<std::string>{"text"});
}

TEST(BodyTest, RefusesANonObjectBody) {
  auto n = NoteBody().Parse("[1,2]");
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().kind, ErrorKind::kInvalid);
  EXPECT_EQ(NoteBody().Parse("{").error().kind, ErrorKind::kBadRequest);
}

TEST(BodyTest, SchemaComesFromTheSameDeclaration) {
  json::value s = NoteBody().Schema();
  const auto& o = s.as_object();
  EXPECT_EQ(o.at("type"), "object");
  EXPECT_EQ(o.at("additionalProperties"), false);
  EXPECT_EQ(o.at("required"), json::parse(R"(["text","channel"])"));
  const auto& p = o.at("properties").as_object();
  EXPECT_EQ(p.at("text"), json::parse(R"({"type":"string","maxLength":20,"minLength":1})"));
  EXPECT_EQ(p.at("phone").at("type"), json::parse(R"(["string","null"])"));
  EXPECT_EQ(p.at("channel").at("enum"), json::parse(R"(["in_person","phone","video"])"));
  EXPECT_EQ(p.at("minutes").at("maximum"), 600);
  EXPECT_EQ(p.at("due").at("format"), "date");
  EXPECT_EQ(p.at("topics").at("items").at("enum"), json::parse(R"(["wages","leave"])"));
  EXPECT_EQ(p.at("consent").at("properties").at("storage").at("type"), "boolean");
  EXPECT_EQ(p.at("shifts").at("items").at("required"), json::parse(R"(["start","hours"])"));
  EXPECT_EQ(p.at("shifts").at("maxItems"), 2);

  json::value patch = NoteBody().Schema(Mode::kPatch);
  EXPECT_FALSE(patch.as_object().contains("required"));
}

struct Source {
  std::string calculator;
  std::optional<json::object> input;
  std::optional<std::int64_t> year;
};

std::int64_t ThisYear() { return 2026; }

const Body<Source>& SourceBody() {
  static const auto b =
      Body<Source>()
          .Text("calculator", &Source::calculator, Need::kRequired, {.max = 64, .min = 1, .description = "its name"})
          .Json("input", &Source::input, Need::kOptional, {.invalid = "must be the calculator's input object"})
          .Int("year", &Source::year, Need::kOptional, {.min = 1900, .max_now = ThisYear})
          .Describe("what computed it");
  return b;
}

TEST(BodyTest, JsonObjectIsTakenAsItIs) {
  auto s = SourceBody().Parse(R"({"calculator":"limitation","input":{"state":"BE","anything":[1,2]}})");
  ASSERT_TRUE(s) << s.error().internal;
  ASSERT_TRUE(s->input);
  EXPECT_EQ(json::value(*s->input), json::parse(R"({"state":"BE","anything":[1,2]})"));

  for (const char* input : {R"("x")", "[]", "42", "true"}) {
    auto bad = SourceBody().Parse(std::string(R"({"calculator":"limitation","input":)") + input + "}");
    ASSERT_FALSE(bad) << input;
    ASSERT_EQ(bad.error().errors.size(), 1u) << input;
    EXPECT_EQ(bad.error().errors[0].field, "input");
    EXPECT_EQ(bad.error().errors[0].message, "must be the calculator's input object");
  }
  auto cleared = SourceBody().Parse(R"({"calculator":"limitation","input":null})");
  ASSERT_TRUE(cleared);
  EXPECT_FALSE(cleared->input);
}

TEST(BodyTest, MaximumKnownOnlyWhenReading) {
  EXPECT_TRUE(SourceBody().Parse(R"({"calculator":"x","year":2026})"));
  auto late = SourceBody().Parse(R"({"calculator":"x","year":2027})");
  ASSERT_FALSE(late);
  EXPECT_EQ(Fields(late.error()), std::vector<std::string>{"year"});
  EXPECT_EQ(late.error().errors[0].message, "must be at most 2026");
  // The schema names no fixed maximum: it would be wrong next year.
  EXPECT_FALSE(SourceBody().Schema().at("properties").at("year").as_object().contains("maximum"));
}

TEST(BodyTest, DescriptionsReachTheSchema) {
  json::value s = SourceBody().Schema();
  EXPECT_EQ(s.at("description"), "what computed it");
  EXPECT_EQ(s.at("properties").at("calculator").at("description"), "its name");
  EXPECT_EQ(s.at("properties").at("input"), json::parse(R"({"type":["object","null"]})"));
  struct Outer {
    std::optional<Source> source;
  };
  auto outer = Body<Outer>().Object("source", &Outer::source, Need::kOptional, SourceBody());
  EXPECT_EQ(outer.Schema().at("properties").at("source").at("description"), "what computed it");
}

}  // namespace
}  // namespace fairdesk::body
