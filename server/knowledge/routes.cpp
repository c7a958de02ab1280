#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

#include "documents/documents.hpp"
#include "knowledge/figures.hpp"
#include "knowledge/knowledge.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/body.hpp"
#include "platform/core/json_input.hpp"

namespace fairdesk::knowledge {
namespace json = boost::json;
namespace {

json::value Opt(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }
json::value Opt(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object AttachmentJson(const Attachment& a) {
  return json::object{{"id", a.id},
                      {"item_id", a.item_id},
                      {"language", a.language},
                      {"filename", a.filename},
                      {"content_type", a.content_type},
                      {"size_bytes", a.size_bytes},
                      {"created_at", clock::FormatRfc3339(a.created_at)}};
}

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::object ItemJson(const Item& i, bool editor) {
  json::object o{{"id", i.id},
                 {"type", i.type},
                 {"topic", i.topic.empty() ? json::value(nullptr) : json::value(i.topic)},
                 {"tags", Strings(i.tags)},
                 {"audience", i.audience},
                 {"source_language", i.source_language},
                 {"review_date", Opt(i.review_date)},
                 {"version", i.version},
                 {"updated_at", clock::FormatRfc3339(i.updated_at)}};
  if (editor) {
    o["created_by"] = i.created_by;
    o["created_at"] = clock::FormatRfc3339(i.created_at);
    o["case_ref"] = Opt(i.case_ref);
  }
  return o;
}

json::object RevisionJson(const Revision& r, bool with_body) {
  json::object o{{"number", r.number},
                 {"title", r.title},
                 {"note", r.note},
                 {"major", r.major},
                 {"author", r.author},
                 {"author_name", r.author_name.empty() ? json::value(nullptr) : json::value(r.author_name)},
                 {"created_at", clock::FormatRfc3339(r.created_at)},
                 {"source_revision", Opt(r.source_revision)}};
  if (with_body) o["body"] = r.body;
  return o;
}

json::object TranslationJson(const TranslationView& v) {
  const auto& t = v.translation;
  json::array revs;
  for (const auto& r : v.revisions) revs.push_back(RevisionJson(r, false));
  return json::object{{"language", t.language},
                      {"status", t.status},
                      {"current_revision", t.current_revision},
                      {"published_revision", Opt(t.published_revision)},
                      {"source_revision", Opt(t.source_revision)},
                      {"outdated", t.outdated},
                      {"submitted_by", Opt(t.submitted_by)},
                      {"reviewed_by", Opt(t.reviewed_by)},
                      {"publish_on", Opt(t.publish_on)},
                      {"archive_on", Opt(t.archive_on)},
                      {"published_at", t.published_at ? json::value(clock::FormatRfc3339(*t.published_at)) : json::value(nullptr)},
                      {"current", v.current ? json::value(RevisionJson(*v.current, true)) : json::value(nullptr)},
                      {"revisions", std::move(revs)}};
}

json::object EditorJson(const EditorView& v) {
  json::array ts;
  for (const auto& t : v.translations) ts.push_back(TranslationJson(t));
  return json::object{{"item", ItemJson(v.item, true)}, {"translations", std::move(ts)}};
}

json::object ReaderJson(const ReaderView& v) {
  return json::object{{"item", ItemJson(v.item, false)},
                      {"language", v.language},
                      {"requested_language", v.requested_language},
                      {"title", v.title},
                      {"html", v.html},
                      {"markdown", v.markdown},
                      {"revision", v.revision},
                      {"valid_as_of", Opt(v.valid_as_of)},
                      {"notices", Strings(v.notices)},
                      {"languages", Strings(v.languages)}};
}

json::object SummaryJson(const ItemSummary& s) {
  return json::object{{"id", s.id},
                      {"type", s.type},
                      {"topic", s.topic.empty() ? json::value(nullptr) : json::value(s.topic)},
                      {"audience", s.audience},
                      {"language", s.language},
                      {"title", s.title},
                      {"notices", Strings(s.notices)},
                      {"valid_as_of", Opt(s.valid_as_of)}};
}

json::object SuggestionJson(const Suggestion& s) {
  return json::object{{"id", s.id},
                      {"item_id", s.item_id},
                      {"language", Opt(s.language)},
                      {"author", s.author},
                      {"body", s.body},
                      {"created_at", clock::FormatRfc3339(s.created_at)},
                      {"resolved_by", Opt(s.resolved_by)},
                      {"resolved_at", s.resolved_at ? json::value(clock::FormatRfc3339(*s.resolved_at)) : json::value(nullptr)}};
}

Status OnlyParams(const http::Request& req, std::initializer_list<std::string_view> allowed) {
  std::vector<FieldError> errors;
  for (const auto& [k, v] : req.query) {
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      errors.push_back({k.substr(0, 64), "unknown query parameter"});
    }
  }
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return {};
}

std::optional<std::int64_t> Number(const std::string& s, std::int64_t max) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc{} || end != s.data() + s.size() || n < 0 || n > max) return std::nullopt;
  return n;
}

std::string Lang(const http::Request& req) {
  auto l = req.Query("lang");
  if (l && !l->empty()) return *l;
  if (req.principal) return req.principal->language;
  return "de";
}

Result<SearchParams> ReadSearch(const http::Request& req) {
  FD_TRY_VOID(OnlyParams(req, {"q", "lang", "type", "topic", "language", "audience", "limit", "cursor"}));
  SearchParams p;
  std::vector<FieldError> errors;
  p.q = req.Query("q").value_or("");
  p.lang = Lang(req);
  auto opt = [&](const char* name) -> std::optional<std::string> {
    auto v = req.Query(name);
    if (!v || v->empty()) return std::nullopt;
    return v;
  };
  p.type = opt("type");
  p.topic = opt("topic");
  p.language = opt("language");
  p.audience = opt("audience");
  if (auto v = req.Query("limit")) {
    auto n = Number(*v, 200);
    if (!n || *n < 1) errors.push_back({"limit", "must be an integer from 1 to 200"});
    else p.limit = static_cast<int>(*n);
  }
  if (auto v = req.Query("cursor"); v && !v->empty()) {
    auto n = Number(*v, 100000);
    if (!n) errors.push_back({"cursor", "is not a valid cursor"});
    else p.offset = *n;
  }
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return p;
}

json::object PageJson(const SearchPage& page) {
  json::array items;
  for (const auto& h : page.items) {
    items.push_back(json::object{{"id", h.item_id},
                                 {"language", h.language},
                                 {"title", h.title},
                                 {"snippet", h.snippet},
                                 {"type", h.type},
                                 {"audience", h.audience},
                                 {"topic", h.topic.empty() ? json::value(nullptr) : json::value(h.topic)}});
  }
  return json::object{{"items", std::move(items)}, {"next_cursor", Opt(page.next_cursor)}};
}

constexpr std::string_view kSearchResponse = R"({"type":"object","properties":{"items":{"type":"array","items":{
  "type":"object","properties":{"id":{"type":"string"},"language":{"type":"string"},"title":{"type":"string"},
  "snippet":{"type":"string","description":"HTML-escaped text; matches in <mark>…</mark>"},
  "type":{"enum":["dossier","case_description","checklist","letter_template","faq","training_material"]},
  "audience":{"enum":["internal","public"]},"topic":{"type":["string","null"]}}}},
  "next_cursor":{"type":["string","null"]}}})";

const std::vector<Role> kEditors = {Role::kCompetenceCentre};
const std::vector<std::string_view> kTypeList(std::begin(kTypes), std::end(kTypes));
const std::vector<std::string_view> kAudienceList(std::begin(kAudiences), std::end(kAudiences));

// Request bodies, each declared once (strict reading and the OpenAPI schema).
const std::vector<std::string_view> kLanguageList(std::begin(kLanguages), std::end(kLanguages));

const auto kNewItem = body::Body<NewItem>()
    .Enum("type", &NewItem::type, Need::kRequired, kTypeList)
    .Text("topic", &NewItem::topic, Need::kOptional, {.max = 64})
    .Texts("tags", &NewItem::tags, Need::kOptional, {.max_items = 20, .max_len = 60})
    .Enum("audience", &NewItem::audience, Need::kOptional, kAudienceList)
    .Enum("source_language", &NewItem::source_language, Need::kOptional, kLanguageList)
    .Date("review_date", &NewItem::review_date, Need::kOptional)
    .Text("title", &NewItem::title, Need::kRequired, {.max = kMaxTitleChars, .min = 1})
    .Text("body", &NewItem::body, Need::kRequired, {.max = kMaxBodyBytes, .multiline = true})
    .Text("note", &NewItem::note, Need::kOptional, {.max = 500});

// The editable metadata of an item, for PATCH (only the fields sent change).
struct ItemFields {
  std::int64_t version = 0;
  std::string type, topic, audience;
  std::vector<std::string> tags;
  std::optional<std::string> review_date;
  bool images_checked = false;
};
const auto kItemFields = body::Body<ItemFields>()
    .Int("version", &ItemFields::version, Need::kRequired, {.min = 1, .max = 1LL << 40})
    .Enum("type", &ItemFields::type, Need::kOptional, kTypeList)
    .Text("topic", &ItemFields::topic, Need::kOptional, {.max = 64})
    .Texts("tags", &ItemFields::tags, Need::kOptional, {.max_items = 20, .max_len = 60})
    .Enum("audience", &ItemFields::audience, Need::kOptional, kAudienceList)
    .Date("review_date", &ItemFields::review_date, Need::kOptional)
    .Bool("images_checked", &ItemFields::images_checked, Need::kOptional);

const auto kSave = body::Body<SaveInput>()
    .Int("base_revision", &SaveInput::base_revision, Need::kOptional, {.min = 0, .max = 1LL << 40})
    .Text("title", &SaveInput::title, Need::kRequired, {.max = kMaxTitleChars, .min = 1})
    .Text("body", &SaveInput::body, Need::kRequired, {.max = kMaxBodyBytes, .multiline = true})
    .Text("note", &SaveInput::note, Need::kOptional, {.max = 500})
    .Bool("major", &SaveInput::major, Need::kOptional)
    .Int("source_revision", &SaveInput::source_revision, Need::kOptional, {.min = 1, .max = 1LL << 40});

struct StepInput {
  std::int64_t revision = 0;
  std::optional<std::string> publish_on;
  std::string note;
};
const auto kSubmit = body::Body<StepInput>().Int("revision", &StepInput::revision, Need::kRequired, {.min = 1, .max = 1LL << 40});
const auto kPublish = body::Body<StepInput>()
    .Int("revision", &StepInput::revision, Need::kRequired, {.min = 1, .max = 1LL << 40})
    .Date("publish_on", &StepInput::publish_on, Need::kOptional);
const auto kReject = body::Body<StepInput>()
    .Int("revision", &StepInput::revision, Need::kRequired, {.min = 1, .max = 1LL << 40})
    .Text("note", &StepInput::note, Need::kOptional, {.max = 500, .multiline = true});

struct RestoreInput {
  std::int64_t number = 0, base_revision = 0;
};
const auto kRestore = body::Body<RestoreInput>()
    .Int("number", &RestoreInput::number, Need::kRequired, {.min = 1, .max = 1LL << 40})
    .Int("base_revision", &RestoreInput::base_revision, Need::kRequired, {.min = 0, .max = 1LL << 40});

struct ArchiveInput {
  std::string language;
  std::optional<std::string> archive_on;
};
const auto kArchive = body::Body<ArchiveInput>()
    .Enum("language", &ArchiveInput::language, Need::kOptional, kLanguageList)
    .Date("archive_on", &ArchiveInput::archive_on, Need::kOptional);

struct SuggestInput {
  std::optional<std::string> language;
  std::string body;
};
const auto kSuggest = body::Body<SuggestInput>()
    .Enum("language", &SuggestInput::language, Need::kOptional, kLanguageList)
    .Text("body", &SuggestInput::body, Need::kRequired, {.max = 4000, .min = 1, .multiline = true});

struct PreviewInput {
  std::string language = "de";
  std::string type = "dossier";
  std::string body;
};
const auto kPreview = body::Body<PreviewInput>()
    .Enum("language", &PreviewInput::language, Need::kRequired, kLanguageList)
    .Enum("type", &PreviewInput::type, Need::kOptional, kTypeList)
    .Text("body", &PreviewInput::body, Need::kRequired, {.max = kMaxBodyBytes, .multiline = true});

/// The live figures a body may name, as the editor lists them: today's value in `lang`.
json::object FiguresJson(std::string_view lang) {
  json::array items;
  Date day = FigureDay();
  for (const auto& def : FigureDefs()) {
    auto v = FigureOn(def.name, day);
    if (!v) continue;
    items.push_back(json::object{{"name", def.name},
                                 {"placeholder", "{{" + std::string(def.name) + "}}"},
                                 {"unit", def.unit == FigureUnit::kEuro ? "eur_cents" : "days"},
                                 {"amount", v->amount},
                                 {"valid_from", v->valid_from.ToString()},
                                 {"source", v->source},
                                 {"table", def.table},
                                 {"text", FormatFigure(*v, lang)},
                                 {"value_text", FormatFigureValue(*v, lang)},
                                 {"since_text", FormatLongDate(v->valid_from, lang)}});
  }
  return json::object{{"items", std::move(items)}, {"date", day.ToString()}, {"language", lang}};
}

struct FromEscalation {
  std::string escalation_id;
};
const auto kFromEscalation =
    body::Body<FromEscalation>().Text("escalation_id", &FromEscalation::escalation_id, Need::kRequired, {.max = 64, .min = 1});

}  // namespace

void RegisterRoutes(http::Router& router, Service& service) {
  const std::vector<std::string> search_params = {"q", "lang", "type", "topic", "language", "audience", "limit", "cursor"};
  auto& search = router.Get("/api/v1/knowledge/search", [&service](http::Request& req) -> Result<http::Response> {
    auto params = FD_TRY(ReadSearch(req));
    return http::Response::Json(PageJson(FD_TRY(service.Search(&req.User(), params))));
  });
  search.doc = {"Search the knowledge base: every published item the caller may read, in every language, ranked, "
                "with highlighted snippets. `lang` is the language of the query (stemming) and is preferred in the ranking.",
                "knowledge", nullptr, json::parse(kSearchResponse), search_params};

  auto& psearch = router.Get("/api/v1/public/knowledge/search", [&service](http::Request& req) -> Result<http::Response> {
    auto params = FD_TRY(ReadSearch(req));
    return http::Response::Json(PageJson(FD_TRY(service.Search(nullptr, params))));
  });
  psearch.access = http::Access::kPublic;
  psearch.doc = {"Search the published public items (no sign-in)", "knowledge", nullptr, json::parse(kSearchResponse),
                 search_params};

  auto list_handler = [&service](bool pub) {
    return [&service, pub](http::Request& req) -> Result<http::Response> {
      FD_TRY_VOID(OnlyParams(req, {"lang"}));
      auto items = FD_TRY(service.List(pub ? nullptr : &req.User(), Lang(req)));
      json::array a;
      for (const auto& s : items) a.push_back(SummaryJson(s));
      return http::Response::Json(json::object{{"items", std::move(a)}, {"next_cursor", nullptr}});
    };
  };
  auto& list = router.Get("/api/v1/knowledge/items", list_handler(false));
  list.doc = {"Published items the caller may read, in `lang` where translated (else the source, notice "
              "\"fallback\"; \"outdated\" where the translation lags behind the source)",
              "knowledge", nullptr, nullptr, {"lang"}};
  auto& plist = router.Get("/api/v1/public/knowledge/items", list_handler(true));
  plist.access = http::Access::kPublic;
  plist.doc = {"Published public items in `lang` with German fallback (no sign-in)", "knowledge", nullptr, nullptr, {"lang"}};

  auto read_handler = [&service](bool pub) {
    return [&service, pub](http::Request& req) -> Result<http::Response> {
      FD_TRY_VOID(OnlyParams(req, {"lang"}));
      auto v = FD_TRY(service.Read(pub ? nullptr : &req.User(), req.Param("id"), Lang(req)));
      return http::Response::Json(ReaderJson(v));
    };
  };
  auto& read = router.Get("/api/v1/knowledge/items/{id}", read_handler(false));
  read.doc = {"An item for reading: the published revision in `lang`, or the source with notice \"fallback\"; "
              "notices \"outdated\" and \"review_due\"; Markdown rendered to sanitised HTML",
              "knowledge", nullptr, nullptr, {"lang"}};
  auto& pread = router.Get("/api/v1/public/knowledge/items/{id}", read_handler(true));
  pread.access = http::Access::kPublic;
  pread.doc = {"A published public item (no sign-in)", "knowledge", nullptr, nullptr, {"lang"}};

  auto& figures = router.Get("/api/v1/knowledge/figures", [](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(OnlyParams(req, {"lang"}));
    auto lang = Lang(req);
    if (!IsLanguage(lang)) return Fail(Error::Invalid("lang", "is not a supported language"));
    return http::Response::Json(FiguresJson(lang));
  });
  figures.roles = kEditors;
  figures.doc = {"The live legal figures a body may name as `{{name}}`, `{{name:value}}` or `{{name:since}}`, with "
                 "today's value from the labour-law tables written for `lang`",
                 "knowledge", nullptr, nullptr, {"lang"}};

  auto& preview = router.Post("/api/v1/knowledge/preview", [&service](http::Request& req) -> Result<http::Response> {
    auto in = FD_TRY(kPreview.Parse(req.body));
    auto html = FD_TRY(service.Preview(req.User(), in.language, in.type, in.body));
    return http::Response::Json(json::object{{"html", std::move(html)}});
  });
  preview.roles = kEditors;
  preview.max_body_bytes = 512 * 1024;
  preview.doc = {"A body rendered as readers see it today (live figures resolved); checked as on save, nothing stored",
                 "knowledge", kPreview.Schema(), nullptr};

  auto& create = router.Post("/api/v1/knowledge/items", [&service](http::Request& req) -> Result<http::Response> {
    auto in = FD_TRY(kNewItem.Parse(req.body));
    auto v = FD_TRY(service.Create(req.User(), std::move(in)));
    auto resp = http::Response::Json(EditorJson(v), 201);
    resp.With("Location", "/api/v1/knowledge/items/" + v.item.id);
    return resp;
  });
  create.roles = kEditors;
  create.max_body_bytes = 512 * 1024;
  create.doc = {"Create an item with its source text as revision 1 (draft)", "knowledge", kNewItem.Schema(),
                nullptr, {}, 201};

  auto& patch = router.Patch("/api/v1/knowledge/items/{id}", [&service](http::Request& req) -> Result<http::Response> {
    auto json = FD_TRY(ParseJsonBody(req.body));
    const auto current = FD_TRY(service.Editor(req.User(), req.Param("id"))).item;
    ItemFields f{0, current.type, current.topic, current.audience, current.tags, current.review_date};
    auto sent = FD_TRY(kItemFields.Apply(json, f));
    auto was_sent = [&](std::string_view name) { return std::find(sent.begin(), sent.end(), name) != sent.end(); };
    ItemPatch p;
    p.version = f.version;
    if (was_sent("type")) p.type = f.type;
    if (was_sent("topic")) p.topic = f.topic;
    if (was_sent("tags")) p.tags = f.tags;
    if (was_sent("audience")) p.audience = f.audience;
    p.images_checked = f.images_checked;
    if (was_sent("review_date")) {
      p.set_review_date = true;
      p.review_date = f.review_date;
    }
    return http::Response::Json(ItemJson(FD_TRY(service.Update(req.User(), req.Param("id"), p)), true));
  });
  patch.roles = kEditors;
  patch.doc = {"Change an item's type, topic, tags, audience or review date; `version` must be the current one (409 otherwise)",
               "knowledge", kItemFields.Schema(body::Mode::kPatch), nullptr};

  auto& fromEsc = router.Post("/api/v1/knowledge/case-descriptions", [&service](http::Request& req) -> Result<http::Response> {
    auto in = FD_TRY(kFromEscalation.Parse(req.body));
    auto v = FD_TRY(service.CaseDescriptionFrom(req.User(), in.escalation_id));
    auto resp = http::Response::Json(EditorJson(v), 201);
    resp.With("Location", "/api/v1/knowledge/items/" + v.item.id);
    return resp;
  });
  fromEsc.roles = kEditors;
  fromEsc.doc = {"Start a case description draft from an answered escalation (only where the client consented to "
                 "anonymised use); submit and publish are refused while a text contains the case's personal data",
                 "knowledge", kFromEscalation.Schema(), nullptr, {}, 201};

  auto& editor = router.Get("/api/v1/knowledge/items/{id}/editor", [&service](http::Request& req) -> Result<http::Response> {
    return http::Response::Json(EditorJson(FD_TRY(service.Editor(req.User(), req.Param("id")))));
  });
  editor.roles = kEditors;
  editor.doc = {"An item for editing: every translation with status, current text, revisions, outdated flag",
                "knowledge", nullptr, nullptr};

  auto& elist = router.Get("/api/v1/knowledge/editor/items", [&service](http::Request& req) -> Result<http::Response> {
    json::array a;
    for (const auto& s : FD_TRY(service.EditorList(req.User()))) a.push_back(SummaryJson(s));
    return http::Response::Json(json::object{{"items", std::move(a)}, {"next_cursor", nullptr}});
  });
  elist.roles = kEditors;
  elist.doc = {"Every item with the status of each translation (notices \"lang:status[:outdated]\")", "knowledge",
               nullptr, nullptr};

  auto& save = router.Put("/api/v1/knowledge/items/{id}/translations/{lang}",
                          [&service](http::Request& req) -> Result<http::Response> {
    auto in = FD_TRY(kSave.Parse(req.body));
    return http::Response::Json(TranslationJson(FD_TRY(service.Save(req.User(), req.Param("id"), req.Param("lang"), std::move(in)))));
  });
  save.roles = kEditors;
  save.max_body_bytes = 512 * 1024;
  save.doc = {"Save a new revision of the text in {lang} (creates the translation). `base_revision`: the revision "
              "the editor started from (409 when someone saved meanwhile). `major: false` flags no translation outdated.",
              "knowledge", kSave.Schema(), nullptr};

  auto step = [&router](std::string path, std::string summary, boost::json::value schema, auto fn) {
    auto& route = router.Post(std::move(path), std::move(fn));
    route.roles = kEditors;
    route.doc = {std::move(summary), "knowledge", std::move(schema), nullptr};
  };
  step("/api/v1/knowledge/items/{id}/translations/{lang}/submit", "Submit the current revision for review",
       kSubmit.Schema(), [&service](http::Request& req) -> Result<http::Response> {
         auto in = FD_TRY(kSubmit.Parse(req.body));
         return http::Response::Json(TranslationJson(FD_TRY(service.Submit(req.User(), req.Param("id"), req.Param("lang"), in.revision))));
       });
  step("/api/v1/knowledge/items/{id}/translations/{lang}/publish",
       "Review and publish the revision under review (a second editor; `publish_on` schedules it)", kPublish.Schema(),
       [&service](http::Request& req) -> Result<http::Response> {
         auto in = FD_TRY(kPublish.Parse(req.body));
         return http::Response::Json(TranslationJson(
             FD_TRY(service.Publish(req.User(), req.Param("id"), req.Param("lang"), in.revision, in.publish_on))));
       });
  step("/api/v1/knowledge/items/{id}/translations/{lang}/reject", "Send the revision under review back to draft",
       kReject.Schema(), [&service](http::Request& req) -> Result<http::Response> {
         auto in = FD_TRY(kReject.Parse(req.body));
         return http::Response::Json(
             TranslationJson(FD_TRY(service.Reject(req.User(), req.Param("id"), req.Param("lang"), in.revision, in.note))));
       });
  step("/api/v1/knowledge/items/{id}/translations/{lang}/restore", "Restore an old revision as a new revision",
       kRestore.Schema(), [&service](http::Request& req) -> Result<http::Response> {
         auto in = FD_TRY(kRestore.Parse(req.body));
         return http::Response::Json(TranslationJson(
             FD_TRY(service.Restore(req.User(), req.Param("id"), req.Param("lang"), in.number, in.base_revision))));
       });
  step("/api/v1/knowledge/items/{id}/archive", "Archive the item (or one `language`), now or on `archive_on`",
       kArchive.Schema(), [&service](http::Request& req) -> Result<http::Response> {
         auto in = FD_TRY(kArchive.Parse(req.body.empty() ? std::string_view("{}") : std::string_view(req.body)));
         FD_TRY_VOID(service.Archive(req.User(), req.Param("id"), in.language, in.archive_on));
         return http::Response::Json(EditorJson(FD_TRY(service.Editor(req.User(), req.Param("id")))));
       });

  auto& diff = router.Get("/api/v1/knowledge/items/{id}/translations/{lang}/diff",
                          [&service](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(OnlyParams(req, {"from", "to"}));
    std::vector<FieldError> errors;
    auto from = Number(req.Query("from").value_or(""), 1LL << 40);
    auto to = Number(req.Query("to").value_or(""), 1LL << 40);
    if (!from) errors.push_back({"from", "is required: a revision number"});
    if (!to) errors.push_back({"to", "is required: a revision number"});
    if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
    auto d = FD_TRY(service.Compare(req.User(), req.Param("id"), req.Param("lang"), *from, *to));
    json::array lines;
    for (const auto& l : d.lines) lines.push_back(json::object{{"op", l.op}, {"text", l.text}});
    return http::Response::Json(json::object{{"from", d.from}, {"to", d.to}, {"title_from", d.title_from},
                                             {"title_to", d.title_to}, {"lines", std::move(lines)}});
  });
  diff.roles = kEditors;
  diff.doc = {"Line diff of two revisions", "knowledge", nullptr, nullptr, {"from", "to"}};

  auto& queue = router.Get("/api/v1/knowledge/review-queue", [&service](http::Request& req) -> Result<http::Response> {
    json::array a;
    for (const auto& e : FD_TRY(service.Queue(req.User()))) {
      a.push_back(json::object{{"item_id", e.item_id}, {"language", e.language}, {"title", e.title},
                               {"reason", e.reason}, {"review_date", Opt(e.review_date)},
                               {"submitted_by", Opt(e.submitted_by)}});
    }
    return http::Response::Json(json::object{{"items", std::move(a)}, {"next_cursor", nullptr}});
  });
  queue.roles = kEditors;
  queue.doc = {"Texts waiting for review (or scheduled) and items whose review date has passed", "knowledge", nullptr, nullptr};

  // Attachments of a translation: the body is the file itself, as for case documents.
  auto& attach = router.Post("/api/v1/knowledge/items/{id}/translations/{lang}/attachments",
                             [&service](http::Request& req) -> Result<http::Response> {
    std::string filename = FD_TRY(documents::UploadFilename(req));
    auto checked = req.Header("x-images-checked");
    if (checked && *checked != "true" && *checked != "false") {
      return Fail(Error::Invalid("images_checked", "the X-Images-Checked header must be true or false"));
    }
    auto a = FD_TRY(service.Attach(req.User(), req.Param("id"), req.Param("lang"),
                                   req.Header("content-type").value_or(""), std::move(filename), req.body,
                                   checked && *checked == "true"));
    auto r = http::Response::Json(AttachmentJson(a), 201);
    r.With("Location", "/api/v1/knowledge/attachments/" + a.id);
    return r;
  });
  attach.slow = true;
  attach.roles = kEditors;
  attach.max_body_bytes = kMaxAttachmentBytes;
  attach.json_body = false;
  attach.doc = {"Attach a file to a translation. The body is the file itself (not multipart); Content-Type declares "
                "its type (PDF, PNG, JPEG, plain text, DOCX, ODT), which must match the content; X-Filename carries "
                "the name, percent-encoded UTF-8. At most 10 MiB. Name and content are encrypted at rest. An image for a "
                "public item or a case description needs X-Images-Checked: true (the editor confirms it shows no "
                "personal data; audited), 422 naming images_checked otherwise.",
                "knowledge", json::object{{"type", "string"}, {"format", "binary"}}, nullptr, {}, 201};

  auto attachments_handler = [&service](bool pub) {
    return [&service, pub](http::Request& req) -> Result<http::Response> {
      FD_TRY_VOID(OnlyParams(req, {}));
      json::array a;
      for (const auto& x : FD_TRY(service.Attachments(pub ? nullptr : &req.User(), req.Param("id")))) {
        a.push_back(AttachmentJson(x));
      }
      return http::Response::Json(json::object{{"items", std::move(a)}, {"next_cursor", nullptr}});
    };
  };
  auto& atts = router.Get("/api/v1/knowledge/items/{id}/attachments", attachments_handler(false));
  atts.doc = {"Attachments of an item: of every translation for the Competence Centre, of the published "
              "translations for readers", "knowledge", nullptr, nullptr};
  auto& patts = router.Get("/api/v1/public/knowledge/items/{id}/attachments", attachments_handler(true));
  patts.access = http::Access::kPublic;
  patts.doc = {"Attachments of the published translations of a public item (no sign-in)", "knowledge", nullptr, nullptr};

  auto download_handler = [&service](bool pub) {
    return [&service, pub](http::Request& req) -> Result<http::Response> {
      FD_TRY_VOID(OnlyParams(req, {}));
      auto f = FD_TRY(service.FetchAttachment(pub ? nullptr : &req.User(), req.Param("id")));
      http::Response r;
      r.status = 200;
      r.content_type = f.meta.content_type;
      r.body = std::move(f.content);
      r.With("Content-Disposition", documents::DownloadDisposition(f.meta.filename));
      return r;
    };
  };
  auto& download = router.Get("/api/v1/knowledge/attachments/{id}", download_handler(false));
  download.slow = true;
  download.doc = {"Download an attachment (as a file, with its checked type)", "knowledge", nullptr,
                  json::object{{"type", "string"}, {"format", "binary"}}};
  auto& pdownload = router.Get("/api/v1/public/knowledge/attachments/{id}", download_handler(true));
  pdownload.slow = true;
  pdownload.access = http::Access::kPublic;
  pdownload.doc = {"Download an attachment of a published public item (no sign-in)", "knowledge", nullptr,
                   json::object{{"type", "string"}, {"format", "binary"}}};

  auto& unattach = router.Delete("/api/v1/knowledge/attachments/{id}", [&service](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(service.RemoveAttachment(req.User(), req.Param("id")));
    return http::Response::NoContent();
  });
  unattach.roles = kEditors;
  unattach.doc = {"Remove an attachment; audited", "knowledge", nullptr, nullptr, {}, 204};

  auto& suggest = router.Post("/api/v1/knowledge/items/{id}/suggestions", [&service](http::Request& req) -> Result<http::Response> {
    auto in = FD_TRY(kSuggest.Parse(req.body));
    return http::Response::Json(SuggestionJson(FD_TRY(service.Suggest(req.User(), req.Param("id"), in.language, in.body))), 201);
  });
  suggest.roles = {Role::kAdvisor, Role::kCentreLead, Role::kCompetenceCentre};
  suggest.doc = {"Suggest a change to the editors", "knowledge", kSuggest.Schema(), nullptr, {}, 201};

  auto& suggestions = router.Get("/api/v1/knowledge/suggestions", [&service](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(OnlyParams(req, {"open"}));
    bool open = req.Query("open").value_or("1") != "0";
    json::array a;
    for (const auto& s : FD_TRY(service.Suggestions(req.User(), open))) a.push_back(SuggestionJson(s));
    return http::Response::Json(json::object{{"items", std::move(a)}, {"next_cursor", nullptr}});
  });
  suggestions.roles = kEditors;
  suggestions.doc = {"Suggestions from advisors (open ones unless open=0)", "knowledge", nullptr, nullptr, {"open"}};

  auto& resolve = router.Post("/api/v1/knowledge/suggestions/{id}/resolve", [&service](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(service.Resolve(req.User(), req.Param("id")));
    return http::Response::Json(json::object{{"id", req.Param("id")}, {"resolved", true}});
  });
  resolve.roles = kEditors;
  resolve.doc = {"Mark a suggestion as dealt with", "knowledge", nullptr, nullptr};
}

}  // namespace fairdesk::knowledge
