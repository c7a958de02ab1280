#pragma once
/// The knowledge base's rules. Who may do what:
/// - Competence Centre: write, translate, submit for review, review and publish (never their own
///   change: four eyes), reject, archive, restore, schedule; sees drafts and the review queue.
/// - Advisors and centre leads: read internal and public items (published revisions), suggest
///   changes, use templates. State coordinators, programme and admins: read.
/// - The public (no principal): published revisions of public items only.
/// Every change is audited in its transaction. Stale writes (a base revision or item version that
/// is no longer current) are refused with kConflict and change nothing.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "knowledge/model.hpp"
#include "knowledge/redaction.hpp"
#include "knowledge/store.hpp"
#include "platform/crypto/keyring.hpp"
#include "platform/core/access.hpp"

namespace fairdesk::knowledge {

struct NewItem {
  std::string type;
  std::string topic;
  std::vector<std::string> tags;
  std::string audience = "internal";
  std::string source_language = "de";
  std::optional<std::string> review_date;
  std::string title;
  std::string body;
  std::string note;
  std::optional<std::string> case_ref;
};

struct ItemPatch {
  std::int64_t version = 0;
  std::optional<std::string> type, topic, audience;
  std::optional<std::vector<std::string>> tags;
  bool set_review_date = false;
  std::optional<std::string> review_date;
  /// Switching an internal item to public: the editor confirms that its images show no personal
  /// data (they cannot be checked by the server). Other attachments are cleaned of metadata on
  /// the switch, or the switch is refused naming the one that cannot be cleaned.
  bool images_checked = false;
};

struct SaveInput {
  std::optional<std::int64_t> base_revision;  // required when the translation exists
  std::string title;
  std::string body;
  std::string note;
  bool major = true;
  std::optional<std::int64_t> source_revision;  // translations: the source revision translated from
};

struct TranslationView {
  Translation translation;
  std::optional<Revision> current;  // with body
  std::vector<Revision> revisions;  // newest first, without bodies
};

struct EditorView {
  Item item;
  std::vector<TranslationView> translations;
};

struct DiffLine {
  std::string op;  // "same", "added", "removed"
  std::string text;
};
struct Diff {
  std::int64_t from = 0, to = 0;
  std::string title_from, title_to;
  std::vector<DiffLine> lines;
};

struct QueueEntry {
  std::string item_id;
  std::string language;
  std::string title;
  std::string reason;  // "in_review" or "review_date"
  std::optional<std::string> review_date;
  std::optional<std::string> submitted_by;
};

/// An item as a reader list shows it.
struct ItemSummary {
  std::string id, type, topic, audience, language, title;
  std::vector<std::string> notices;
  std::optional<std::string> valid_as_of;
};

/// What a case description is made from: an escalation and, for the redaction check only, the
/// client's personal data (in memory; never stored here or shown).
struct CaseSource {
  std::string status;  // of the escalation: open, answered, closed
  std::string summary, question;
  std::vector<std::string> answers;  // the Competence Centre's messages
  bool anonymised_use = false;       // the client's consent
  PersonalData personal;
};

struct Options {
  /// The topic codes of the case taxonomy; empty function: any topic accepted (tests).
  std::function<Result<std::vector<std::string>>()> topic_codes;
  /// Reads an escalation for a case description (the cases module, through the app).
  std::function<Result<CaseSource>(const Principal&, std::string_view escalation_id)> case_source;
  /// Encryption at rest of attachments (the app's keyring); null: attachments are refused.
  const crypto::Keyring* keyring = nullptr;
  /// The display name of a user id, for the revisions list of the editor (the auth module,
  /// through the app); empty function or nullopt: the id is shown.
  std::function<std::optional<std::string>(std::string_view user_id)> user_name;
};

/// An attachment with its content, for a download.
struct AttachmentFile {
  Attachment meta;
  std::string content;
};

class Service {
 public:
  Service(db::Database& database, std::unique_ptr<Store> store, Options options = {});

  /// Rebuilds the search index (knowledge_docs, and knowledge_fts on SQLite or knowledge_match on
  /// PostgreSQL) from the items: after `fairdesk copy` or `restore`, which copy content tables but not this derived,
  /// dialect-specific index. Answers the number of translations looked at.
  Result<std::int64_t> RebuildIndex();

  // Editing (Competence Centre).
  Result<EditorView> Create(const Principal& p, NewItem in);
  Result<Item> Update(const Principal& p, std::string_view item_id, const ItemPatch& patch);
  Result<TranslationView> Save(const Principal& p, std::string_view item_id, std::string_view language, SaveInput in);
  Result<TranslationView> Submit(const Principal& p, std::string_view item_id, std::string_view language,
                                 std::int64_t revision);
  /// Publishes the revision under review now, or approves it for `publish_on` (a date).
  Result<TranslationView> Publish(const Principal& p, std::string_view item_id, std::string_view language,
                                  std::int64_t revision, std::optional<std::string> publish_on);
  Result<TranslationView> Reject(const Principal& p, std::string_view item_id, std::string_view language,
                                 std::int64_t revision, std::string note);
  /// Archives now, or on `archive_on`; `language` empty: every translation of the item.
  Status Archive(const Principal& p, std::string_view item_id, std::string_view language,
                 std::optional<std::string> archive_on);
  Result<TranslationView> Restore(const Principal& p, std::string_view item_id, std::string_view language,
                                  std::int64_t number, std::int64_t base_revision);
  Result<Diff> Compare(const Principal& p, std::string_view item_id, std::string_view language, std::int64_t from,
                       std::int64_t to);
  Result<EditorView> Editor(const Principal& p, std::string_view item_id);
  /// Starts a case description draft (internal) from an answered escalation whose client consented
  /// to anonymised use: question, anonymised facts (the summary) and the answer.
  Result<EditorView> CaseDescriptionFrom(const Principal& p, std::string_view escalation_id);
  Result<std::vector<ItemSummary>> EditorList(const Principal& p);
  Result<std::vector<QueueEntry>> Queue(const Principal& p);

  // Reading.
  /// `p` null: the public.
  Result<ReaderView> Read(const Principal* p, std::string_view item_id, std::string_view language);
  Result<std::vector<ItemSummary>> List(const Principal* p, std::string_view language);
  Result<SearchPage> Search(const Principal* p, const SearchParams& params);

  // Attachments of a translation (Competence Centre uploads and removes; readers download the
  // attachments of the translations they may read; `p` null: the public).
  /// An image for a public item or a case description cannot be checked for personal data by
  /// the server (faces, names or papers in the picture): the uploading editor confirms with
  /// `images_checked` that it shows none (audited); without it 422 naming images_checked.
  Result<Attachment> Attach(const Principal& p, std::string_view item_id, std::string_view language,
                            std::string_view declared_type, std::string filename, std::string_view content,
                            bool images_checked = false);
  Result<std::vector<Attachment>> Attachments(const Principal* p, std::string_view item_id);
  Result<AttachmentFile> FetchAttachment(const Principal* p, std::string_view attachment_id);
  Status RemoveAttachment(const Principal& p, std::string_view attachment_id);

  /// The editor's preview of a body in `language` as readers see it today (live figures
  /// resolved), checked as on save (422 naming `body`: an unknown placeholder, HTML, …).
  /// `type` letter_template keeps fill-in fields. Competence Centre only; nothing is stored.
  Result<std::string> Preview(const Principal& p, std::string_view language, std::string_view type,
                              std::string_view body);

  // Suggestions.
  Result<Suggestion> Suggest(const Principal& p, std::string_view item_id, std::optional<std::string> language,
                             std::string body);
  Result<std::vector<Suggestion>> Suggestions(const Principal& p, bool open_only);
  Status Resolve(const Principal& p, std::string_view suggestion_id);

  /// For the public portal (server/portal), stable: the published public items in `language`
  /// (German source where the translation is missing, with notice "fallback"; "outdated" where
  /// the translation lags behind the source), ordered by title.
  Result<std::vector<ItemSummary>> PublicItems(std::string_view language);
  /// One published public item in `language` with the same fallback and notices.
  Result<ReaderView> PublicItem(std::string_view item_id, std::string_view language);

  /// Applies scheduled publications and archivals that are due today (also done before reads).
  /// Asks the database once per day and server: a date set for publishing or archiving is always
  /// a later day (an earlier one takes effect at once), so nothing new can fall due before the
  /// date changes.
  Status ApplyDue();

  /// Loads the demo items into an empty knowledge base (no-op otherwise). `author` and `reviewer`
  /// are two Competence Centre user ids.
  Status SeedDemo(const std::string& author, const std::string& reviewer);

 private:
  Result<TranslationView> ViewOf(db::Session& s, const Translation& t);
  Status Reindex(db::Session& s, const Item& item, const Translation& t);
  Status Check(const NewItem& in) const;
  /// For case descriptions: every title, text and tag checked against the source case's personal
  /// data (422 naming each field and the kind of data found).
  Status CheckRedaction(const Principal& p, std::string_view item_id);
  /// 422 naming images_checked unless confirmed; confirmed: one audit entry per image.
  Status ConfirmImages(db::Session& s, const Principal& p, const std::vector<std::string>& image_ids,
                       bool images_checked);
  /// An internal item becomes public: its attachments are cleaned of metadata (or the switch is
  /// refused naming the one that cannot be cleaned), its images confirmed.
  Status PrepareForPublic(db::Session& s, const Principal& p, const Item& item, const ItemPatch& patch);

  db::Database& database_;
  std::unique_ptr<Store> store_;
  Options options_;
  /// The day (YYYYMMDD) ApplyDue last found nothing left to do; 0: not yet.
  std::atomic<std::int64_t> due_done_day_{0};
};

bool IsLanguage(std::string_view code);
/// The encrypted columns of this module, for `fairdesk keys reencrypt`.
std::vector<crypto::EncryptedColumn> EncryptedColumns();
/// Line diff of two texts (longest common subsequence).
std::vector<DiffLine> LineDiff(std::string_view a, std::string_view b);

}  // namespace fairdesk::knowledge
