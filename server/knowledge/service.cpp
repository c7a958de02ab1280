#include "knowledge/service.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "audit/audit.hpp"
#include "documents/content_type.hpp"
#include "knowledge/figures.hpp"
#include "knowledge/markdown.hpp"
#include "knowledge/attachment_text.hpp"
#include "knowledge/metadata.hpp"
#include "knowledge/search.hpp"
#include "knowledge/text.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/date.hpp"
#include "platform/core/json_input.hpp"
#include "platform/crypto/crypto.hpp"

namespace fairdesk::knowledge {
namespace {

constexpr int kMaxCandidates = 1000;

bool In(std::span<const std::string_view> set, std::string_view v) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

bool IsEditor(const Principal& p) { return p.role == Role::kCompetenceCentre; }
bool MaySuggest(const Principal& p) {
  return p.role == Role::kAdvisor || p.role == Role::kCentreLead || p.role == Role::kCompetenceCentre;
}

bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  int d = (s[8] - '0') * 10 + (s[9] - '0');
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

Error NotFoundItem() { return Error::NotFound("No such knowledge item."); }

/// `fill_in_fields`: a letter template's `{{client_name}}` and the like are allowed in the body
/// (knowledge/figures.hpp); every other `{{…}}` must name a live figure.
void CheckBody(std::string_view body, bool fill_in_fields, std::vector<FieldError>& errors) {
  if (body.size() > kMaxBodyBytes) {
    errors.push_back({"body", "may have at most 200 KiB"});
  } else if (!IsPlainText(body, true)) {
    errors.push_back({"body", "must not contain control characters"});
  } else if (auto md = CheckMarkdown(body, "body"); !md) {
    for (auto& e : md.error().errors) errors.push_back(std::move(e));
  } else {
    CheckPlaceholders(body, "body", fill_in_fields, errors);
  }
}

Status CheckTitleBody(std::string_view title, std::string_view body, bool fill_in_fields,
                      std::vector<FieldError>& errors) {
  auto title_len = CodePoints(title);
  if (title_len == 0 || title_len > kMaxTitleChars || !IsPlainText(title, false)) {
    errors.push_back({"title", "is required: plain text of 1 to 300 characters"});
  } else if (!FindPlaceholders(title).empty()) {
    errors.push_back({"title", "placeholders ({{…}}) work in the body only"});
  }
  CheckBody(body, fill_in_fields, errors);
  return {};
}

std::string Today() { return clock::TodayIso(); }

std::string DateOf(std::int64_t unix) { return clock::FormatRfc3339(unix).substr(0, 10); }

std::optional<Translation> Find(const std::vector<Translation>& ts, std::string_view lang) {
  for (const auto& t : ts) {
    if (t.language == lang) return t;
  }
  return std::nullopt;
}

// Outdated: the source has a major revision newer than the one the translation was made from.
void MarkOutdated(const Item& item, std::vector<Translation>& ts) {
  auto source = Find(ts, item.source_language);
  for (auto& t : ts) {
    t.outdated = source && t.language != item.source_language &&
                 source->last_major_revision > t.source_revision.value_or(0);
  }
}

bool VisibleTo(const Principal* p, const Item& item) { return p != nullptr || item.audience == "public"; }

constexpr std::string_view kAttachmentTable = "knowledge_attachments";
std::string AttachmentNameAd(std::string_view id) { return crypto::AssociatedData(kAttachmentTable, "filename_sealed", id); }
std::string AttachmentContentAd(std::string_view id) { return crypto::AssociatedData(kAttachmentTable, "content_sealed", id); }

// A reader sees the attachments of the translations shown to readers; an editor sees all.
bool AttachmentVisible(const Principal* p, const Item& item, const std::vector<Translation>& all, std::string_view language) {
  if (!VisibleTo(p, item)) return false;
  if (p && IsEditor(*p)) return true;
  for (const auto& t : all) {
    if (t.language == language && t.published_revision && t.status != "archived") return true;
  }
  return false;
}

}  // namespace

bool IsLanguage(std::string_view code) { return In(kLanguages, code); }

std::vector<DiffLine> LineDiff(std::string_view a, std::string_view b) {
  auto split = [](std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i <= s.size()) {
      auto j = s.find('\n', i);
      if (j == std::string_view::npos) j = s.size();
      out.push_back(s.substr(i, j - i));
      i = j + 1;
    }
    if (!out.empty() && out.back().empty()) out.pop_back();
    return out;
  };
  auto x = split(a), y = split(b);
  // Common prefix and suffix first, so that the table covers only the changed middle.
  std::size_t pre = 0;
  while (pre < x.size() && pre < y.size() && x[pre] == y[pre]) ++pre;
  std::size_t suf = 0;
  while (suf < x.size() - pre && suf < y.size() - pre && x[x.size() - 1 - suf] == y[y.size() - 1 - suf]) ++suf;
  std::vector<std::string_view> xm(x.begin() + pre, x.end() - suf), ym(y.begin() + pre, y.end() - suf);
  std::vector<DiffLine> out;
  for (std::size_t i = 0; i < pre; ++i) out.push_back({"same", std::string(x[i])});
  std::size_t n = xm.size(), m = ym.size();
  if (n * m > 4'000'000) {  // too large for a table: everything removed, then added
    for (auto l : xm) out.push_back({"removed", std::string(l)});
    for (auto l : ym) out.push_back({"added", std::string(l)});
  } else {
    std::vector<std::vector<int>> L(n + 1, std::vector<int>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) {
        L[i][j] = xm[i] == ym[j] ? L[i + 1][j + 1] + 1 : std::max(L[i + 1][j], L[i][j + 1]);
      }
    }
    std::size_t i = 0, j = 0;
    while (i < n && j < m) {
      if (xm[i] == ym[j]) {
        out.push_back({"same", std::string(xm[i])});
        ++i, ++j;
      } else if (L[i + 1][j] >= L[i][j + 1]) {
        out.push_back({"removed", std::string(xm[i++])});
      } else {
        out.push_back({"added", std::string(ym[j++])});
      }
    }
    while (i < n) out.push_back({"removed", std::string(xm[i++])});
    while (j < m) out.push_back({"added", std::string(ym[j++])});
  }
  for (std::size_t k = x.size() - suf; k < x.size(); ++k) out.push_back({"same", std::string(x[k])});
  return out;
}

Service::Service(db::Database& database, std::unique_ptr<Store> store, Options options)
    : database_(database), store_(std::move(store)), options_(std::move(options)) {}

Status Service::Check(const NewItem& in) const {
  std::vector<FieldError> errors;
  if (!In(kTypes, in.type)) errors.push_back({"type", "must be one of dossier, case_description, checklist, letter_template, faq, training_material"});
  if (!In(kAudiences, in.audience)) errors.push_back({"audience", "must be internal or public"});
  if (!IsLanguage(in.source_language)) errors.push_back({"source_language", "is not a supported language"});
  if (in.review_date && !IsIsoDate(*in.review_date)) errors.push_back({"review_date", "must be a date YYYY-MM-DD"});
  if (in.tags.size() > 20) errors.push_back({"tags", "at most 20 tags"});
  for (std::size_t i = 0; i < in.tags.size(); ++i) {
    auto n = CodePoints(in.tags[i]);
    if (n == 0 || n > 60 || !IsPlainText(in.tags[i], false)) {
      errors.push_back({"tags[" + std::to_string(i) + "]", "must be plain text of 1 to 60 characters"});
    }
  }
  if (!in.topic.empty() && options_.topic_codes) {
    auto codes = FD_TRY(options_.topic_codes());
    if (std::find(codes.begin(), codes.end(), in.topic) == codes.end()) {
      errors.push_back({"topic", "is not a topic of the case taxonomy"});
    }
  }
  FD_TRY_VOID(CheckTitleBody(in.title, in.body, in.type == "letter_template", errors));
  if (CodePoints(in.note) > 500) errors.push_back({"note", "at most 500 characters"});
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return {};
}

Result<TranslationView> Service::ViewOf(db::Session& s, const Translation& t) {
  TranslationView v;
  v.translation = t;
  v.current = FD_TRY(store_->GetRevision(s, t.id, t.current_revision));
  v.revisions = FD_TRY(store_->Revisions(s, t.id));
  return v;
}

Result<std::int64_t> Service::RebuildIndex() {
  std::int64_t count = 0;
  constexpr int kPage = 100;
  for (std::int64_t offset = 0;; offset += kPage) {
    std::vector<Item> items;
    FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
      items = FD_TRY(store_->ListItems(s, kPage, offset));
      for (const auto& item : items) {
        for (const auto& t : FD_TRY(store_->TranslationsOf(s, item.id))) {
          FD_TRY_VOID(Reindex(s, item, t));
          ++count;
        }
      }
      return {};
    }));
    if (static_cast<int>(items.size()) < kPage) break;
  }
  return count;
}

Status Service::Reindex(db::Session& s, const Item& item, const Translation& t) {
  if (!t.published_revision || t.status == "archived") return store_->Index(s, t.id, std::nullopt);
  auto rev = FD_TRY(store_->GetRevision(s, t.id, *t.published_revision));
  if (!rev) return Fail(Error::Internal("knowledge: published revision missing"));
  IndexDoc d;
  d.translation_id = t.id;
  d.item_id = item.id;
  d.language = t.language;
  d.type = item.type;
  d.topic = item.topic;
  d.audience = item.audience;
  d.title = rev->title;
  // The plain text keeps its figure placeholders (snippets resolve them when shown); the word
  // index leaves them out: a figure's value changes on a date nothing re-indexes.
  d.body_plain = PlainText(rev->body);
  std::string tags;
  for (const auto& tag : item.tags) tags += " " + tag;
  d.title_terms = IndexTerms(t.language, rev->title);
  d.body_terms = IndexTerms(t.language, WithoutPlaceholders(d.body_plain) + tags);
  return store_->Index(s, t.id, d);
}

Result<EditorView> Service::Create(const Principal& p, NewItem in) {
  if (!IsEditor(p)) return Fail(Error::Forbidden("Only the Competence Centre writes knowledge items."));
  FD_TRY_VOID(Check(in));
  auto now = clock::NowUnix();
  Item item;
  item.id = crypto::NewId("kni");
  item.type = in.type;
  item.topic = in.topic;
  item.tags = in.tags;
  item.audience = in.audience;
  item.source_language = in.source_language;
  item.review_date = in.review_date;
  item.case_ref = in.case_ref;
  item.created_at = item.updated_at = now;
  item.created_by = p.user_id;
  Translation t;
  t.id = crypto::NewId("knt");
  t.item_id = item.id;
  t.language = in.source_language;
  t.current_revision = 1;
  t.last_major_revision = 1;
  t.updated_at = now;
  Revision r{t.id, 1, in.title, in.body, in.note, true, p.user_id, now, std::nullopt};
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    FD_TRY_VOID(store_->InsertItem(s, item));
    FD_TRY_VOID(store_->InsertTranslation(s, t));
    FD_TRY_VOID(store_->InsertRevision(s, r));
    FD_TRY_VOID(audit::Record(s, p, audit::kCreate, "knowledge_item", item.id));
    return {};
  }));
  return Editor(p, item.id);
}

Result<Item> Service::Update(const Principal& p, std::string_view item_id, const ItemPatch& patch) {
  if (!IsEditor(p)) return Fail(Error::Forbidden("Only the Competence Centre edits knowledge items."));
  Item out;
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    auto item = FD_TRY(store_->GetItem(s, item_id));
    if (!item) return Fail(NotFoundItem());
    if (item->version != patch.version) {
      return Fail(Error::Conflict("The item was changed meanwhile (version " + std::to_string(item->version) +
                                  "); reload it and apply your change again."));
    }
    NewItem check{patch.type.value_or(item->type), patch.topic.value_or(item->topic), patch.tags.value_or(item->tags),
                  patch.audience.value_or(item->audience), item->source_language,
                  patch.set_review_date ? patch.review_date : item->review_date, "x", "", "", std::nullopt};
    FD_TRY_VOID(Check(check));
    bool reindex = check.type != item->type || check.topic != item->topic || check.audience != item->audience ||
                   check.tags != item->tags;
    if (item->audience != "public" && check.audience == "public") FD_TRY_VOID(PrepareForPublic(s, p, *item, patch));
    item->type = check.type;
    item->topic = check.topic;
    item->tags = check.tags;
    item->audience = check.audience;
    item->review_date = check.review_date;
    item->updated_at = clock::NowUnix();
    item->version = patch.version + 1;
    if (!FD_TRY(store_->UpdateItem(s, *item, patch.version))) {
      return Fail(Error::Conflict("The item was changed meanwhile; reload it and apply your change again."));
    }
    if (reindex) {
      for (const auto& t : FD_TRY(store_->TranslationsOf(s, item->id))) FD_TRY_VOID(Reindex(s, *item, t));
    }
    FD_TRY_VOID(audit::Record(s, p, audit::kUpdate, "knowledge_item", item->id));
    out = *item;
    return {};
  }));
  return out;
}

Result<TranslationView> Service::Save(const Principal& p, std::string_view item_id, std::string_view language,
                                      SaveInput in) {
  if (!IsEditor(p)) return Fail(Error::Forbidden("Only the Competence Centre writes and translates."));
  if (!IsLanguage(language)) return Fail(Error::Invalid("language", "is not a supported language"));
  std::vector<FieldError> errors;
  // Fill-in fields are allowed here; whether the item is a letter template is known below.
  FD_TRY_VOID(CheckTitleBody(in.title, in.body, true, errors));
  if (CodePoints(in.note) > 500) errors.push_back({"note", "at most 500 characters"});
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  TranslationView view;
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    auto item = FD_TRY(store_->GetItem(s, item_id));
    if (!item) return Fail(NotFoundItem());
    if (item->type != "letter_template") {
      CheckPlaceholders(in.body, "body", false, errors);
      if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
    }
    auto all = FD_TRY(store_->TranslationsOf(s, item->id));
    auto source = Find(all, item->source_language);
    auto existing = Find(all, language);
    auto now = clock::NowUnix();
    Translation t;
    bool is_source = language == item->source_language;
    if (!existing) {
      if (in.base_revision && *in.base_revision != 0) {
        return Fail(Error::Conflict("There is no translation in this language yet."));
      }
      t.id = crypto::NewId("knt");
      t.item_id = item->id;
      t.language = std::string(language);
      t.current_revision = 0;
      t.updated_at = now;
      FD_TRY_VOID(store_->InsertTranslation(s, t));
    } else {
      t = *existing;
      if (!in.base_revision) return Fail(Error::Invalid("base_revision", "is required to change an existing text"));
      if (*in.base_revision != t.current_revision) {
        return Fail(Error::Conflict("Someone saved revision " + std::to_string(t.current_revision) +
                                    " meanwhile; your text is not lost — compare and save again on top of it."));
      }
    }
    std::int64_t expected = t.current_revision;
    Revision r;
    r.translation_id = t.id;
    r.number = t.current_revision + 1;
    r.title = in.title;
    r.body = in.body;
    r.note = in.note;
    r.major = in.major;
    r.author = p.user_id;
    r.created_at = now;
    if (!is_source && source) {
      std::int64_t basis = in.source_revision.value_or(source->current_revision);
      if (basis < 1 || basis > source->current_revision) {
        return Fail(Error::Invalid("source_revision", "must be a revision of the source text"));
      }
      r.source_revision = basis;
      t.source_revision = basis;
    }
    FD_TRY_VOID(store_->InsertRevision(s, r));
    t.current_revision = r.number;
    if (in.major) t.last_major_revision = r.number;
    // A new revision starts a new review; the published one stays live meanwhile.
    t.status = "draft";
    t.submitted_by.reset();
    t.reviewed_by.reset();
    t.publish_on.reset();
    t.updated_at = now;
    if (!FD_TRY(store_->UpdateTranslation(s, t, expected))) {
      return Fail(Error::Conflict("The text was saved by someone else meanwhile; compare and save again."));
    }
    FD_TRY_VOID(audit::Record(s, p, existing ? audit::kUpdate : audit::kCreate, "knowledge_translation", t.id));
    view = FD_TRY(ViewOf(s, t));
    return {};
  }));
  return view;
}

Result<TranslationView> Service::Submit(const Principal& p, std::string_view item_id, std::string_view language,
                                        std::int64_t revision) {
  if (!IsEditor(p)) return Fail(Error::Forbidden("Only the Competence Centre submits for review."));
  FD_TRY_VOID(CheckRedaction(p, item_id));
  TranslationView view;
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    auto item = FD_TRY(store_->GetItem(s, item_id));
    if (!item) return Fail(NotFoundItem());
    auto t = Find(FD_TRY(store_->TranslationsOf(s, item->id)), language);
    if (!t) return Fail(Error::NotFound("No translation in this language."));
    if (t->current_revision != revision) return Fail(Error::Conflict("A newer revision exists; review that one."));
    if (t->status != "draft") return Fail(Error::Conflict("Only a draft can be submitted for review (it is " + t->status + ")."));
    t->status = "in_review";
    t->submitted_by = p.user_id;
    t->updated_at = clock::NowUnix();
    if (!FD_TRY(store_->UpdateTranslation(s, *t, revision))) return Fail(Error::Conflict("Changed meanwhile."));
    FD_TRY_VOID(audit::Record(s, p, audit::kUpdate, "knowledge_translation", t->id));
    view = FD_TRY(ViewOf(s, *t));
    return {};
  }));
  return view;
}

Result<TranslationView> Service::Publish(const Principal& p, std::string_view item_id, std::string_view language,
                                         std::int64_t revision, std::optional<std::string> publish_on) {
  if (!IsEditor(p)) return Fail(Error::Forbidden("Only the Competence Centre publishes."));
  if (publish_on && !IsIsoDate(*publish_on)) return Fail(Error::Invalid("publish_on", "must be a date YYYY-MM-DD"));
  FD_TRY_VOID(CheckRedaction(p, item_id));
  TranslationView view;
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    auto item = FD_TRY(store_->GetItem(s, item_id));
    if (!item) return Fail(NotFoundItem());
    auto t = Find(FD_TRY(store_->TranslationsOf(s, item->id)), language);
    if (!t) return Fail(Error::NotFound("No translation in this language."));
    if (t->current_revision != revision) return Fail(Error::Conflict("A newer revision exists; review that one."));
    if (t->status != "in_review") {
      Error e = Error::Conflict("Only a text submitted for review can be published (it is " + t->status + ").");
      e.errors.push_back({"revision", "has not been submitted for review"});
      return Fail(std::move(e));
    }
    auto authors = FD_TRY(store_->AuthorsSince(s, t->id, t->published_revision.value_or(0)));
    if (std::find(authors.begin(), authors.end(), p.user_id) != authors.end()) {
      Error e = Error::Forbidden("Four eyes: a second editor must review and publish a change you wrote.");
      e.errors.push_back({"revision", "was written by you"});
      return Fail(std::move(e));
    }
    t->reviewed_by = p.user_id;
    t->updated_at = clock::NowUnix();
    if (publish_on && *publish_on > Today()) {
      t->publish_on = publish_on;  // approved; goes live on that day
    } else {
      t->status = "published";
      t->published_revision = t->current_revision;
      t->published_at = t->updated_at;
      t->publish_on.reset();
    }
    if (!FD_TRY(store_->UpdateTranslation(s, *t, revision))) return Fail(Error::Conflict("Changed meanwhile."));
    FD_TRY_VOID(Reindex(s, *item, *t));
    FD_TRY_VOID(audit::Record(s, p, audit::kUpdate, "knowledge_translation", t->id));
    view = FD_TRY(ViewOf(s, *t));
    return {};
  }));
  return view;
}

Result<TranslationView> Service::Reject(const Principal& p, std::string_view item_id, std::string_view language,
                                        std::int64_t revision, std::string note) {
  if (!IsEditor(p)) return Fail(Error::Forbidden("Only the Competence Centre reviews."));
  TranslationView view;
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    auto item = FD_TRY(store_->GetItem(s, item_id));
    if (!item) return Fail(NotFoundItem());
    auto t = Find(FD_TRY(store_->TranslationsOf(s, item->id)), language);
    if (!t) return Fail(Error::NotFound("No translation in this language."));
    if (t->current_revision != revision) return Fail(Error::Conflict("A newer revision exists."));
    if (t->status != "in_review") return Fail(Error::Conflict("Only a text under review can be sent back."));
    t->status = "draft";
    t->reviewed_by = p.user_id;
    t->publish_on.reset();
    t->updated_at = clock::NowUnix();
    if (!FD_TRY(store_->UpdateTranslation(s, *t, revision))) return Fail(Error::Conflict("Changed meanwhile."));
    FD_TRY_VOID(audit::Record(s, p, audit::kUpdate, "knowledge_translation", t->id));
    (void)note;
    view = FD_TRY(ViewOf(s, *t));
    return {};
  }));
  return view;
}

Status Service::Archive(const Principal& p, std::string_view item_id, std::string_view language,
                        std::optional<std::string> archive_on) {
  if (!IsEditor(p)) return Fail(Error::Forbidden("Only the Competence Centre archives."));
  if (archive_on && !IsIsoDate(*archive_on)) return Fail(Error::Invalid("archive_on", "must be a date YYYY-MM-DD"));
  if (!language.empty() && !IsLanguage(language)) return Fail(Error::Invalid("language", "is not a supported language"));
  return database_.Write([&](db::Session& s) -> Status {
    auto item = FD_TRY(store_->GetItem(s, item_id));
    if (!item) return Fail(NotFoundItem());
    auto all = FD_TRY(store_->TranslationsOf(s, item->id));
    bool any = false;
    for (auto t : all) {
      if (!language.empty() && t.language != language) continue;
      any = true;
      auto expected = t.current_revision;
      if (archive_on && *archive_on > Today()) {
        t.archive_on = archive_on;
      } else {
        t.status = "archived";
        t.published_revision.reset();
        t.archive_on.reset();
        t.publish_on.reset();
      }
      t.updated_at = clock::NowUnix();
      if (!FD_TRY(store_->UpdateTranslation(s, t, expected))) return Fail(Error::Conflict("Changed meanwhile."));
      FD_TRY_VOID(Reindex(s, *item, t));
      FD_TRY_VOID(audit::Record(s, p, audit::kUpdate, "knowledge_translation", t.id));
    }
    if (!any) return Fail(Error::NotFound("No translation in this language."));
    return {};
  });
}

Result<TranslationView> Service::Restore(const Principal& p, std::string_view item_id, std::string_view language,
                                         std::int64_t number, std::int64_t base_revision) {
  if (!IsEditor(p)) return Fail(Error::Forbidden("Only the Competence Centre restores revisions."));
  std::optional<Revision> old;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    auto item = FD_TRY(store_->GetItem(s, item_id));
    if (!item) return Fail(NotFoundItem());
    auto t = Find(FD_TRY(store_->TranslationsOf(s, item->id)), language);
    if (!t) return Fail(Error::NotFound("No translation in this language."));
    old = FD_TRY(store_->GetRevision(s, t->id, number));
    if (!old) return Fail(Error::Invalid("number", "is not a revision of this text"));
    return {};
  }));
  SaveInput in;
  in.base_revision = base_revision;
  in.title = old->title;
  in.body = old->body;
  in.note = "Restored revision " + std::to_string(number);
  in.major = true;
  in.source_revision = old->source_revision;
  return Save(p, item_id, language, std::move(in));
}

Result<Diff> Service::Compare(const Principal& p, std::string_view item_id, std::string_view language,
                              std::int64_t from, std::int64_t to) {
  if (!IsEditor(p)) return Fail(Error::Forbidden("Only the Competence Centre compares revisions."));
  Diff d;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    auto item = FD_TRY(store_->GetItem(s, item_id));
    if (!item) return Fail(NotFoundItem());
    auto t = Find(FD_TRY(store_->TranslationsOf(s, item->id)), language);
    if (!t) return Fail(Error::NotFound("No translation in this language."));
    auto a = FD_TRY(store_->GetRevision(s, t->id, from));
    auto b = FD_TRY(store_->GetRevision(s, t->id, to));
    std::vector<FieldError> errors;
    if (!a) errors.push_back({"from", "is not a revision of this text"});
    if (!b) errors.push_back({"to", "is not a revision of this text"});
    if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
    d.from = from;
    d.to = to;
    d.title_from = a->title;
    d.title_to = b->title;
    d.lines = LineDiff(a->body, b->body);
    return {};
  }));
  return d;
}

Status Service::ConfirmImages(db::Session& s, const Principal& p, const std::vector<std::string>& image_ids,
                              bool images_checked) {
  if (image_ids.empty()) return {};
  if (!images_checked) {
    Error e = Error::Invalid(
        "images_checked",
        std::to_string(image_ids.size()) +
            " attached image(s) cannot be checked for personal data by the server (faces, names, documents in "
            "the picture); look at each and confirm that it shows none, or remove it");
    e.detail = "Confirm that the attached images show no personal data; nothing was changed.";
    e.slug = "image-confirmation";
    return Fail(std::move(e));
  }
  // One audit entry per image: who confirmed which picture.
  for (const auto& id : image_ids) FD_TRY_VOID(audit::Record(s, p, audit::kUpdate, "knowledge_image_checked", id));
  return {};
}

Status Service::PrepareForPublic(db::Session& s, const Principal& p, const Item& item, const ItemPatch& patch) {
  // Attachments uploaded while the item was internal kept what internal rules allow: they are
  // cleaned of metadata now, like an upload to a public item; a file whose metadata cannot be
  // removed blocks the switch (replace or remove it first).
  std::vector<FieldError> errors;
  std::vector<std::string> images;
  struct Cleaned {
    std::string id;
    std::string sealed;
    std::int64_t size;
  };
  std::vector<Cleaned> cleaned;
  auto files = FD_TRY(store_->AttachmentsOf(s, item.id));
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto& meta = files[i].meta;
    if (IsImageType(meta.content_type)) images.push_back(meta.id);
    if (!options_.keyring) return Fail(Error::Internal("knowledge: no keyring wired"));
    auto full = FD_TRY(store_->GetAttachment(s, meta.id));
    if (!full) continue;
    auto content = FD_TRY(options_.keyring->Decrypt(full->content_sealed, AttachmentContentAd(meta.id)));
    auto result = StripMetadata(meta.content_type, content);
    if (result.unreachable_metadata) {
      errors.push_back({"attachments[" + std::to_string(i) + "]",
                        "its metadata (author, document properties) cannot be removed, so it cannot become public; "
                        "replace it or remove it first (attachment " + meta.id + ")"});
      continue;
    }
    if (result.content != content) {
      cleaned.push_back({meta.id, FD_TRY(options_.keyring->Encrypt(result.content, AttachmentContentAd(meta.id))),
                         static_cast<std::int64_t>(result.content.size())});
    }
  }
  if (!errors.empty()) {
    Error e = Error::Invalid(std::move(errors));
    e.detail = "The item keeps attachments that cannot be published; nothing was changed.";
    e.slug = "attachment-metadata";
    return Fail(std::move(e));
  }
  FD_TRY_VOID(ConfirmImages(s, p, images, patch.images_checked));
  for (const auto& c : cleaned) {
    FD_TRY_VOID(store_->UpdateAttachmentContent(s, c.id, c.sealed, c.size));
    FD_TRY_VOID(audit::Record(s, p, audit::kUpdate, "knowledge_attachment", c.id));
  }
  return {};
}

Status Service::CheckRedaction(const Principal& p, std::string_view item_id) {
  std::optional<Item> item;
  std::vector<std::pair<std::string, Revision>> texts;
  std::vector<StoredAttachment> files;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    item = FD_TRY(store_->GetItem(s, item_id));
    if (!item || item->type != "case_description" || !item->case_ref) return {};
    for (const auto& t : FD_TRY(store_->TranslationsOf(s, item->id))) {
      if (t.status == "archived") continue;
      if (auto r = FD_TRY(store_->GetRevision(s, t.id, t.current_revision))) texts.emplace_back(t.language, *r);
    }
    for (const auto& a : FD_TRY(store_->AttachmentsOf(s, item->id))) {
      auto full = FD_TRY(store_->GetAttachment(s, a.meta.id));
      if (full) files.push_back(std::move(*full));
    }
    return {};
  }));
  if (!item || item->type != "case_description" || !item->case_ref) return {};
  if (!options_.case_source) return Fail(Error::Internal("knowledge: no case source wired"));
  // Read outside the knowledge transaction: the cases module opens its own.
  auto source = FD_TRY(options_.case_source(p, *item->case_ref));
  std::vector<FieldError> errors;
  auto check = [&](std::string field, std::string_view text) {
    auto kinds = FindPersonalData(source.personal, text);
    if (kinds.empty()) return;
    std::string list;
    for (const auto& k : kinds) list += (list.empty() ? "" : ", ") + k;
    errors.push_back({std::move(field), "contains personal data of the source case (" + list + "); anonymise it"});
  };
  for (const auto& [lang, r] : texts) {
    check("translations." + lang + ".title", r.title);
    check("translations." + lang + ".body", r.body);
  }
  for (std::size_t i = 0; i < item->tags.size(); ++i) check("tags[" + std::to_string(i) + "]", item->tags[i]);
  // Attachments: the file name and the text a reader of the file sees (PDF pages and remaining
  // properties, DOCX/ODT document text, headers, footers, comments and properties, plain text;
  // attachment_text.hpp). A file whose text cannot be read is refused, since it cannot be checked;
  // images are confirmed by the reviewing editor on publishing (CheckImagesConfirmed).
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!options_.keyring) break;
    const auto& f = files[i];
    std::string field = "attachments[" + std::to_string(i) + "]";
    check(field + ".filename", FD_TRY(options_.keyring->Decrypt(f.filename_sealed, AttachmentNameAd(f.meta.id))));
    if (IsImageType(f.meta.content_type)) continue;
    auto text = ExtractText(f.meta.content_type,
                            FD_TRY(options_.keyring->Decrypt(f.content_sealed, AttachmentContentAd(f.meta.id))));
    if (!text.readable) {
      errors.push_back({field + ".text", "the text of this file cannot be read, so it cannot be checked for "
                                         "personal data; replace it (attachment " + f.meta.id + ")"});
      continue;
    }
    auto kinds = FindPersonalData(source.personal, text.text);
    if (kinds.empty()) continue;
    std::string list;
    for (const auto& k : kinds) list += (list.empty() ? "" : ", ") + k;
    errors.push_back({field + ".text", "the file's text contains personal data of the source case (" + list +
                                           "); anonymise or remove the attachment (" + f.meta.id + ")"});
  }
  if (!errors.empty()) {
    Error e = Error::Invalid(std::move(errors));
    e.detail = "The case description still contains personal data of the client; nothing was changed.";
    e.slug = "redaction";
    return Fail(std::move(e));
  }
  return {};
}

Result<EditorView> Service::CaseDescriptionFrom(const Principal& p, std::string_view escalation_id) {
  if (!IsEditor(p)) return Fail(Error::Forbidden("Only the Competence Centre writes case descriptions."));
  if (!options_.case_source) return Fail(Error::Internal("knowledge: no case source wired"));
  auto source = FD_TRY(options_.case_source(p, escalation_id));
  if (source.answers.empty() || source.status == "open") {
    Error e = Error::Conflict("Only an answered escalation can become a case description.");
    e.errors.push_back({"escalation_id", "has not been answered yet"});
    return Fail(std::move(e));
  }
  if (!source.anonymised_use) {
    Error e = Error::Conflict("The client has not consented to the anonymised use of their case.");
    e.errors.push_back({"escalation_id", "the client has not consented to anonymised use"});
    return Fail(std::move(e));
  }
  NewItem in;
  in.type = "case_description";
  in.audience = "internal";
  std::string summary = source.summary;
  if (CodePoints(summary) > 200) {
    std::size_t cut = 0, n = 0;
    while (cut < summary.size() && n < 200) {
      ++cut;
      while (cut < summary.size() && (static_cast<unsigned char>(summary[cut]) & 0xC0) == 0x80) ++cut;
      ++n;
    }
    summary = summary.substr(0, cut) + "…";
  }
  in.title = "Fallbeschreibung: " + summary;
  std::string answers;
  for (const auto& a : source.answers) answers += (answers.empty() ? "" : "\n\n") + a;
  in.body = "**Frage:** " + source.question + "\n\n**Anonymisierter Sachverhalt:** " + source.summary +
            "\n\n**Antwort der Fachstelle:** " + answers;
  in.note = "Aus einer beantworteten Anfrage erstellt";
  in.case_ref = std::string(escalation_id);
  // Texts from the escalation may contain what Markdown reads as HTML: show it as text.
  if (!CheckMarkdown(in.body, "body")) {
    std::string escaped;
    for (char c : in.body) {
      if (c == '<') escaped += "\\<";
      else escaped += c;
    }
    in.body = escaped;
  }
  // Braces typed in the escalation are text, not figure placeholders: "\{{" in the body (Markdown
  // shows "{{"), "{ {" in the plain-text title.
  auto found = FindPlaceholders(in.body);
  for (auto it = found.rbegin(); it != found.rend(); ++it) in.body.insert(it->begin, "\\");
  for (auto pos = in.title.find("{{"); pos != std::string::npos; pos = in.title.find("{{", pos)) in.title.insert(pos + 1, " ");
  return Create(p, std::move(in));
}

Result<EditorView> Service::Editor(const Principal& p, std::string_view item_id) {
  if (!IsEditor(p)) return Fail(Error::NotFound("No such knowledge item."));
  EditorView v;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    auto item = FD_TRY(store_->GetItem(s, item_id));
    if (!item) return Fail(NotFoundItem());
    v.item = *item;
    auto all = FD_TRY(store_->TranslationsOf(s, item->id));
    MarkOutdated(*item, all);
    // The source first, then the translations by language.
    std::stable_sort(all.begin(), all.end(), [&](const auto& a, const auto& b) {
      return (a.language == item->source_language) > (b.language == item->source_language);
    });
    for (const auto& t : all) v.translations.push_back(FD_TRY(ViewOf(s, t)));
    return {};
  }));
  // Authors by name (outside the transaction: the auth module reads on its own).
  if (options_.user_name) {
    std::map<std::string, std::string, std::less<>> names;
    for (auto& t : v.translations) {
      for (auto& r : t.revisions) {
        auto it = names.find(r.author);
        if (it == names.end()) it = names.emplace(r.author, options_.user_name(r.author).value_or("")).first;
        r.author_name = it->second;
      }
    }
  }
  return v;
}

Result<std::vector<ItemSummary>> Service::EditorList(const Principal& p) {
  if (!IsEditor(p)) return Fail(Error::Forbidden());
  std::vector<ItemSummary> out;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    for (const auto& item : FD_TRY(store_->ListItems(s, 500, 0))) {
      auto all = FD_TRY(store_->TranslationsOf(s, item.id));
      MarkOutdated(item, all);
      ItemSummary sum{item.id, item.type, item.topic, item.audience, item.source_language, "", {}, item.review_date};
      for (const auto& t : all) {
        if (t.language == item.source_language) {
          if (auto r = FD_TRY(store_->GetRevision(s, t.id, t.current_revision))) sum.title = r->title;
        }
        sum.notices.push_back(t.language + ":" + t.status + (t.outdated ? ":outdated" : ""));
      }
      out.push_back(std::move(sum));
    }
    return {};
  }));
  return out;
}

Result<std::vector<QueueEntry>> Service::Queue(const Principal& p) {
  if (!IsEditor(p)) return Fail(Error::Forbidden());
  FD_TRY_VOID(ApplyDue());
  std::vector<QueueEntry> out;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    for (const auto& t : FD_TRY(store_->InReview(s))) {
      auto rev = FD_TRY(store_->GetRevision(s, t.id, t.current_revision));
      out.push_back({t.item_id, t.language, rev ? rev->title : "", t.publish_on ? "scheduled" : "in_review",
                     std::nullopt, t.submitted_by});
    }
    for (const auto& item : FD_TRY(store_->ReviewDateDue(s, Today()))) {
      auto all = FD_TRY(store_->TranslationsOf(s, item.id));
      auto src = Find(all, item.source_language);
      std::string title;
      if (src) {
        if (auto r = FD_TRY(store_->GetRevision(s, src->id, src->current_revision))) title = r->title;
      }
      out.push_back({item.id, item.source_language, title, "review_date", item.review_date, std::nullopt});
    }
    return {};
  }));
  return out;
}

Status Service::ApplyDue() {
  auto today = Today();
  std::int64_t day = 0;
  for (char c : today) {
    if (c >= '0' && c <= '9') day = day * 10 + (c - '0');
  }
  // Publishing and archiving dates are always later days (an earlier one takes effect at once,
  // Approve and Archive), so once nothing is due on a day, nothing falls due before the next one;
  // every search and read would otherwise ask the database again.
  if (due_done_day_.load(std::memory_order_relaxed) == day) return {};
  std::vector<Translation> due;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    due = FD_TRY(store_->Due(s, today));
    return {};
  }));
  if (due.empty()) {
    due_done_day_.store(day, std::memory_order_relaxed);
    return {};
  }
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    for (auto t : FD_TRY(store_->Due(s, today))) {
      auto item = FD_TRY(store_->GetItem(s, t.item_id));
      if (!item) continue;
      auto expected = t.current_revision;
      if (t.archive_on && *t.archive_on <= today) {
        t.status = "archived";
        t.published_revision.reset();
        t.archive_on.reset();
        t.publish_on.reset();
      } else if (t.publish_on && *t.publish_on <= today && t.status == "in_review" && t.reviewed_by) {
        t.status = "published";
        t.published_revision = t.current_revision;
        t.published_at = clock::NowUnix();
        t.publish_on.reset();
      } else {
        continue;
      }
      t.updated_at = clock::NowUnix();
      FD_TRY(store_->UpdateTranslation(s, t, expected));
      FD_TRY_VOID(Reindex(s, *item, t));
      FD_TRY_VOID(audit::RecordSystem(s, audit::kUpdate, "knowledge_translation", t.id));
    }
    return {};
  }));
  due_done_day_.store(day, std::memory_order_relaxed);
  return {};
}

Result<ReaderView> Service::Read(const Principal* p, std::string_view item_id, std::string_view language) {
  if (!IsLanguage(language)) return Fail(Error::Invalid("lang", "is not a supported language"));
  FD_TRY_VOID(ApplyDue());
  ReaderView v;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    auto item = FD_TRY(store_->GetItem(s, item_id));
    if (!item || !VisibleTo(p, *item)) return Fail(NotFoundItem());
    auto all = FD_TRY(store_->TranslationsOf(s, item->id));
    MarkOutdated(*item, all);
    std::vector<Translation> live;
    for (const auto& t : all) {
      if (t.published_revision && t.status != "archived") live.push_back(t);
    }
    if (live.empty()) return Fail(NotFoundItem());
    auto chosen = Find(live, language);
    if (!chosen) chosen = Find(live, item->source_language);
    if (!chosen) chosen = Find(live, "de");
    if (!chosen) chosen = live.front();
    auto rev = FD_TRY(store_->GetRevision(s, chosen->id, *chosen->published_revision));
    if (!rev) return Fail(Error::Internal("knowledge: published revision missing"));
    v.item = *item;
    v.item.case_ref.reset();  // the link to the case stays with the editors
    v.language = chosen->language;
    v.requested_language = std::string(language);
    v.title = rev->title;
    // Live figures as of today, written as the text's language writes them; a letter template's
    // fill-in fields stay for signed-in readers (they fill them in), nobody else sees braces.
    auto unresolved = p && item->type == "letter_template" ? Unresolved::kKeep : Unresolved::kEllipsis;
    auto day = FigureDay();
    v.markdown = ResolveFigures(rev->body, chosen->language, day, unresolved, Output::kText);
    v.html = RenderHtml(ResolveFigures(rev->body, chosen->language, day, unresolved));
    v.revision = rev->number;
    if (chosen->published_at) v.valid_as_of = DateOf(*chosen->published_at);
    if (chosen->language != language) v.notices.push_back("fallback");
    if (chosen->outdated) v.notices.push_back("outdated");
    if (item->review_date && *item->review_date < Today()) v.notices.push_back("review_due");
    for (const auto& t : live) v.languages.push_back(t.language);
    return {};
  }));
  return v;
}

Result<std::vector<ItemSummary>> Service::List(const Principal* p, std::string_view language) {
  if (!IsLanguage(language)) return Fail(Error::Invalid("lang", "is not a supported language"));
  FD_TRY_VOID(ApplyDue());
  std::vector<ItemSummary> out;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    auto live = FD_TRY(store_->PublishedTranslations(s, p ? std::nullopt : std::optional<std::string>("public")));
    std::map<std::string, std::vector<Translation>> by_item;
    for (const auto& t : live) {
      if (t.status != "archived") by_item[t.item_id].push_back(t);
    }
    auto today = Today();
    for (auto& [id, ts] : by_item) {
      auto item = FD_TRY(store_->GetItem(s, id));
      if (!item || !VisibleTo(p, *item)) continue;
      auto all = FD_TRY(store_->TranslationsOf(s, id));
      MarkOutdated(*item, all);
      std::vector<Translation> visible;
      for (const auto& t : all) {
        if (t.published_revision && t.status != "archived") visible.push_back(t);
      }
      if (visible.empty()) continue;
      auto chosen = Find(visible, language);
      if (!chosen) chosen = Find(visible, item->source_language);
      if (!chosen) chosen = visible.front();
      auto rev = FD_TRY(store_->GetRevision(s, chosen->id, *chosen->published_revision));
      ItemSummary sum{item->id, item->type, item->topic, item->audience, chosen->language, rev ? rev->title : "", {},
                      std::nullopt};
      if (chosen->published_at) sum.valid_as_of = DateOf(*chosen->published_at);
      if (chosen->language != language) sum.notices.push_back("fallback");
      if (chosen->outdated) sum.notices.push_back("outdated");
      if (item->review_date && *item->review_date < today) sum.notices.push_back("review_due");
      out.push_back(std::move(sum));
    }
    return {};
  }));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.title < b.title || (a.title == b.title && a.id < b.id); });
  return out;
}

Result<std::vector<ItemSummary>> Service::PublicItems(std::string_view language) { return List(nullptr, language); }

Result<std::string> Service::Preview(const Principal& p, std::string_view language, std::string_view type,
                                     std::string_view body) {
  if (!IsEditor(p)) return Fail(Error::Forbidden("Only the Competence Centre writes knowledge items."));
  std::vector<FieldError> errors;
  if (!IsLanguage(language)) errors.push_back({"language", "is not a supported language"});
  if (!In(kTypes, type)) errors.push_back({"type", "is not an item type"});
  bool letter = type == "letter_template";
  CheckBody(body, letter, errors);
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return RenderHtml(ResolveFigures(body, language, FigureDay(), letter ? Unresolved::kKeep : Unresolved::kEllipsis));
}

Result<ReaderView> Service::PublicItem(std::string_view item_id, std::string_view language) {
  return Read(nullptr, item_id, language);
}

Result<SearchPage> Service::Search(const Principal* p, const SearchParams& params) {
  std::vector<FieldError> errors;
  if (!params.lang.empty() && !IsLanguage(params.lang)) errors.push_back({"lang", "is not a supported language"});
  if (params.language && !IsLanguage(*params.language)) errors.push_back({"language", "is not a supported language"});
  if (params.type && !In(kTypes, *params.type)) errors.push_back({"type", "is not an item type"});
  if (params.audience && !In(kAudiences, *params.audience)) errors.push_back({"audience", "must be internal or public"});
  if (CodePoints(params.q) > 200) errors.push_back({"q", "at most 200 characters"});
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  FD_TRY_VOID(ApplyDue());
  SearchPage page;
  auto query = ParseQuery(params.q, params.lang.empty() ? "de" : params.lang);
  if (query.empty()) return page;
  CandidateFilter f{params.type, params.topic, params.language, params.audience};
  // The public sees public items only, whatever it asks for.
  if (p == nullptr) {
    if (params.audience && *params.audience != "public") return page;
    f.audience = "public";
  }
  std::vector<IndexDoc> docs;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    docs = FD_TRY(store_->Candidates(s, Fts5Expression(query), TsQueryLiteral(query), f, kMaxCandidates));
    return {};
  }));
  struct Ranked {
    std::int64_t score;
    const IndexDoc* doc;
  };
  std::vector<Ranked> ranked;
  for (const auto& d : docs) {
    auto score = Score(query, RankInput{d.language, d.title_terms, d.body_terms}, params.lang.empty() ? "de" : params.lang);
    if (score > 0) ranked.push_back({score, &d});
  }
  auto better = [](const Ranked& a, const Ranked& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.doc->title != b.doc->title) return a.doc->title < b.doc->title;
    if (a.doc->item_id != b.doc->item_id) return a.doc->item_id < b.doc->item_id;
    return a.doc->language < b.doc->language;
  };
  auto begin = static_cast<std::size_t>(std::min<std::int64_t>(params.offset, static_cast<std::int64_t>(ranked.size())));
  auto end = std::min(ranked.size(), begin + static_cast<std::size_t>(params.limit));
  // Only the page needs its order (a total order: item and language identify a document).
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(end), ranked.end(), better);
  // The texts only of the results shown, for their snippets.
  std::vector<std::string> shown;
  for (std::size_t i = begin; i < end; ++i) shown.push_back(ranked[i].doc->translation_id);
  std::vector<std::string> bodies;
  if (!shown.empty()) {
    FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
      bodies = FD_TRY(store_->BodiesPlain(s, shown));
      return {};
    }));
  }
  auto day = FigureDay();
  for (std::size_t i = begin; i < end; ++i) {
    const auto& d = *ranked[i].doc;
    auto plain = ResolveFigures(bodies[i - begin], d.language, day, Unresolved::kEllipsis, Output::kText);
    page.items.push_back(SearchHit{d.item_id, d.language, d.title, Snippet(query, d.language, plain), d.type,
                                   d.audience, d.topic, ranked[i].score});
  }
  if (end < ranked.size()) page.next_cursor = std::to_string(end);
  return page;
}

std::vector<crypto::EncryptedColumn> EncryptedColumns() {
  return {{std::string(kAttachmentTable), "id", "filename_sealed", crypto::EncryptedColumn::Encoding::kBlob},
          {std::string(kAttachmentTable), "id", "content_sealed", crypto::EncryptedColumn::Encoding::kBlob}};
}

Result<Attachment> Service::Attach(const Principal& p, std::string_view item_id, std::string_view language,
                                   std::string_view declared_type, std::string filename, std::string_view upload,
                                   bool images_checked) {
  std::string_view content = upload;
  if (!IsEditor(p)) return Fail(Error::Forbidden("Only the Competence Centre adds attachments."));
  if (!options_.keyring) return Fail(Error::Internal("knowledge: no keyring wired"));
  if (!IsLanguage(language)) return Fail(Error::Invalid("language", "is not a supported language"));
  std::optional<Item> item;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    item = FD_TRY(store_->GetItem(s, item_id));
    if (!item) return Fail(NotFoundItem());
    if (!Find(FD_TRY(store_->TranslationsOf(s, item_id)), language)) {
      return Fail(Error::Invalid("language", "the item has no translation in this language yet"));
    }
    return {};
  }));
  if (content.size() > kMaxAttachmentBytes) return Fail(Error::TooLarge("An attachment may have at most 10 MiB."));
  std::string type = FD_TRY(documents::CheckUpload(declared_type, filename, content));
  filename = documents::StoredFilename(filename, type);
  // Metadata (author, camera, place, dates) goes before the file is stored (metadata.hpp). A PDF
  // whose document properties are compressed out of reach is refused where it may be published
  // or where personal data must be checked; internal items keep it (they never leave the CC).
  auto cleaned = StripMetadata(type, content);
  if (cleaned.unreachable_metadata && (item->audience == "public" || item->type == "case_description")) {
    Error e = Error::Invalid(
        "content", type == "application/pdf"
                       ? "the PDF keeps its document properties (author, title) compressed, where they cannot be "
                         "removed; save it again without document properties (for example by printing it to a PDF)"
                   : type == "image/png" || type == "image/jpeg"
                       ? "the image's metadata could not be read, so it cannot be removed; save the image again"
                       : "the document keeps its properties (author, last editor) compressed, where they cannot be "
                         "removed; upload it as a PDF instead");
    e.slug = "attachment-metadata";
    return Fail(std::move(e));
  }
  content = cleaned.content;
  StoredAttachment a;
  a.meta = Attachment{crypto::NewId("kna"), std::string(item_id), std::string(language), "", type,
                      static_cast<std::int64_t>(content.size()), p.user_id, clock::NowUnix()};
  // Sealed before the transaction, as documents do.
  a.filename_sealed = FD_TRY(options_.keyring->Encrypt(filename, AttachmentNameAd(a.meta.id)));
  a.content_sealed = FD_TRY(options_.keyring->Encrypt(content, AttachmentContentAd(a.meta.id)));
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    auto current = FD_TRY(store_->GetItem(s, item_id));
    if (!current) return Fail(NotFoundItem());
    // Images where personal data must not be shown: the uploader has looked at the picture.
    if (IsImageType(type) && (current->audience == "public" || current->type == "case_description")) {
      FD_TRY_VOID(ConfirmImages(s, p, {a.meta.id}, images_checked));
    }
    FD_TRY_VOID(store_->InsertAttachment(s, a));
    return audit::Record(s, p, audit::kCreate, "knowledge_attachment", a.meta.id);
  }));
  a.meta.filename = std::move(filename);
  return a.meta;
}

Result<std::vector<Attachment>> Service::Attachments(const Principal* p, std::string_view item_id) {
  std::vector<Attachment> out;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    auto item = FD_TRY(store_->GetItem(s, item_id));
    if (!item || !VisibleTo(p, *item)) return Fail(NotFoundItem());
    auto all = FD_TRY(store_->TranslationsOf(s, item_id));
    bool editor = p && IsEditor(*p);
    if (!editor) {
      bool live = std::any_of(all.begin(), all.end(), [](const auto& t) { return t.published_revision && t.status != "archived"; });
      if (!live) return Fail(NotFoundItem());
    }
    for (auto& a : FD_TRY(store_->AttachmentsOf(s, item_id))) {
      if (!AttachmentVisible(p, *item, all, a.meta.language)) continue;
      if (!options_.keyring) return Fail(Error::Internal("knowledge: no keyring wired"));
      a.meta.filename = FD_TRY(options_.keyring->Decrypt(a.filename_sealed, AttachmentNameAd(a.meta.id)));
      out.push_back(std::move(a.meta));
    }
    return {};
  }));
  return out;
}

Result<AttachmentFile> Service::FetchAttachment(const Principal* p, std::string_view attachment_id) {
  if (!options_.keyring) return Fail(Error::Internal("knowledge: no keyring wired"));
  AttachmentFile f;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    auto a = FD_TRY(store_->GetAttachment(s, attachment_id));
    if (!a) return Fail(Error::NotFound("No such attachment."));
    auto item = FD_TRY(store_->GetItem(s, a->meta.item_id));
    if (!item || !AttachmentVisible(p, *item, FD_TRY(store_->TranslationsOf(s, item->id)), a->meta.language)) {
      return Fail(Error::NotFound("No such attachment."));
    }
    f.meta = a->meta;
    f.meta.filename = FD_TRY(options_.keyring->Decrypt(a->filename_sealed, AttachmentNameAd(a->meta.id)));
    f.content = FD_TRY(options_.keyring->Decrypt(a->content_sealed, AttachmentContentAd(a->meta.id)));
    return {};
  }));
  return f;
}

Status Service::RemoveAttachment(const Principal& p, std::string_view attachment_id) {
  if (!IsEditor(p)) return Fail(Error::Forbidden("Only the Competence Centre removes attachments."));
  return database_.Write([&](db::Session& s) -> Status {
    if (!FD_TRY(store_->DeleteAttachment(s, attachment_id))) return Fail(Error::NotFound("No such attachment."));
    return audit::Record(s, p, audit::kDelete, "knowledge_attachment", attachment_id);
  });
}

Result<Suggestion> Service::Suggest(const Principal& p, std::string_view item_id, std::optional<std::string> language,
                                    std::string body) {
  if (!MaySuggest(p)) return Fail(Error::Forbidden("Advisors, centre leads and the Competence Centre suggest changes."));
  std::vector<FieldError> errors;
  auto n = CodePoints(body);
  if (n == 0 || n > 4000 || !IsPlainText(body, true)) errors.push_back({"body", "is required: 1 to 4000 characters"});
  if (language && !IsLanguage(*language)) errors.push_back({"language", "is not a supported language"});
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  Suggestion sug{crypto::NewId("kns"), std::string(item_id), language, p.user_id, std::move(body), clock::NowUnix(),
                 std::nullopt, std::nullopt};
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    auto item = FD_TRY(store_->GetItem(s, item_id));
    if (!item) return Fail(NotFoundItem());
    FD_TRY_VOID(store_->InsertSuggestion(s, sug));
    FD_TRY_VOID(audit::Record(s, p, audit::kCreate, "knowledge_suggestion", sug.id));
    return {};
  }));
  return sug;
}

Result<std::vector<Suggestion>> Service::Suggestions(const Principal& p, bool open_only) {
  if (!IsEditor(p)) return Fail(Error::Forbidden());
  std::vector<Suggestion> out;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    out = FD_TRY(store_->Suggestions(s, open_only));
    return {};
  }));
  return out;
}

Status Service::Resolve(const Principal& p, std::string_view id) {
  if (!IsEditor(p)) return Fail(Error::Forbidden());
  return database_.Write([&](db::Session& s) -> Status {
    if (!FD_TRY(store_->ResolveSuggestion(s, id, p.user_id, clock::NowUnix()))) {
      return Fail(Error::NotFound("No such open suggestion."));
    }
    FD_TRY_VOID(audit::Record(s, p, audit::kUpdate, "knowledge_suggestion", id));
    return {};
  });
}

}  // namespace fairdesk::knowledge
