#pragma once
/// The knowledge base's records. An item (dossier, case description, …) has a source language
/// and translations; each translation has its own numbered revisions, status, reviewer and
/// schedule. A reader sees a translation's published revision, while the next one is drafted and
/// reviewed.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fairdesk::knowledge {

inline constexpr std::string_view kTypes[] = {"dossier", "case_description", "checklist",
                                              "letter_template", "faq", "training_material"};
inline constexpr std::string_view kAudiences[] = {"internal", "public"};
inline constexpr std::string_view kStatuses[] = {"draft", "in_review", "published", "archived"};
/// Languages of items: those of the public portal (PORTAL.md) and the other languages the
/// centres advise in.
inline constexpr std::string_view kLanguages[] = {"de", "en", "ar", "fa", "prs", "ps", "uk", "ru", "tr", "ti",
                                                  "fr", "es", "pl", "ro", "bg", "ku", "so", "sq"};

inline constexpr std::size_t kMaxBodyBytes = 200 * 1024;
inline constexpr std::size_t kMaxTitleChars = 300;

struct Item {
  std::string id;
  std::string type;
  std::string topic;  // a case topic code; empty: none
  std::vector<std::string> tags;
  std::string audience;
  std::string source_language;
  std::optional<std::string> review_date;  // YYYY-MM-DD
  std::optional<std::string> case_ref;     // internal: the escalation a case description came from
  std::int64_t created_at = 0;
  std::string created_by;
  std::int64_t updated_at = 0;
  std::int64_t version = 1;
};

struct Translation {
  std::string id;
  std::string item_id;
  std::string language;
  std::string status = "draft";
  std::int64_t current_revision = 0;
  std::optional<std::int64_t> published_revision;
  std::optional<std::int64_t> source_revision;  // the source revision it was translated from
  std::int64_t last_major_revision = 0;           // of this translation (matters for the source)
  std::optional<std::string> submitted_by;
  std::optional<std::string> reviewed_by;
  std::optional<std::string> publish_on;  // YYYY-MM-DD: approved, goes live on that day
  std::optional<std::string> archive_on;  // YYYY-MM-DD
  std::optional<std::int64_t> published_at;
  std::int64_t updated_at = 0;
  bool outdated = false;  // computed: the source has a newer major revision
};

struct Revision {
  std::string translation_id;
  std::int64_t number = 0;
  std::string title;
  std::string body;  // Markdown
  std::string note;
  bool major = true;
  std::string author;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> source_revision;
  std::string author_name;  // for editors' views (Options::user_name); empty: unknown
};

struct Suggestion {
  std::string id;
  std::string item_id;
  std::optional<std::string> language;
  std::string author;
  std::string body;
  std::int64_t created_at = 0;
  std::optional<std::string> resolved_by;
  std::optional<std::int64_t> resolved_at;
};

/// What a reader gets: the best translation for the language asked for, with notices.
struct ReaderView {
  Item item;
  std::string language;            // of the text shown
  std::string requested_language;  // asked for
  std::string title;
  std::string html;
  std::string markdown;
  std::int64_t revision = 0;
  std::optional<std::string> valid_as_of;  // date the shown revision was published
  std::vector<std::string> notices;        // "fallback", "outdated", "review_due"
  std::vector<std::string> languages;      // languages with a published translation
};

/// A file attached to one translation of an item (a form, a flyer, a sample letter). Type checked
/// by content as for case documents; name and content encrypted at rest.
struct Attachment {
  std::string id;
  std::string item_id;
  std::string language;
  std::string filename;
  std::string content_type;
  std::int64_t size_bytes = 0;
  std::string created_by;
  std::int64_t created_at = 0;
};
inline constexpr std::size_t kMaxAttachmentBytes = std::size_t{10} << 20;

struct StoredAttachment {
  Attachment meta;  // filename empty: it is sealed
  std::string filename_sealed;
  std::string content_sealed;  // empty unless asked for
};

struct SearchHit {
  std::string item_id;
  std::string language;
  std::string title;
  std::string snippet;
  std::string type;
  std::string audience;
  std::string topic;
  std::int64_t score = 0;
};

struct SearchParams {
  std::string q;
  std::string lang;  // query language (stemming) and preferred result language
  std::optional<std::string> type, topic, language, audience;
  int limit = 20;
  std::int64_t offset = 0;
};

struct SearchPage {
  std::vector<SearchHit> items;
  std::optional<std::string> next_cursor;
};

/// A row of the search index: a published revision of one translation.
struct IndexDoc {
  std::string translation_id;
  std::string item_id;
  std::string language;
  std::string type;
  std::string topic;
  std::string audience;
  std::string title;
  std::string body_plain;
  std::string title_terms;
  std::string body_terms;
};

}  // namespace fairdesk::knowledge
