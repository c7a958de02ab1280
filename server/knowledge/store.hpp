#pragma once
/// Storage of the knowledge base. Every method runs on a session the service opened, so that a
/// change, its index update and its audit entry commit together. The search index is a word index
/// only (FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL, both over the terms search.hpp
/// computes); ranking happens in the service.

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "knowledge/model.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"

namespace fairdesk::knowledge {

struct Candidate {
  IndexDoc doc;
};

struct CandidateFilter {
  std::optional<std::string> type, topic, language, audience;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual Status InsertItem(db::Session& s, const Item& item) = 0;
  /// Writes the item's metadata when its version is still `expected_version`; answers whether it did.
  virtual Result<bool> UpdateItem(db::Session& s, const Item& item, std::int64_t expected_version) = 0;
  virtual Result<std::optional<Item>> GetItem(db::Session& s, std::string_view id) = 0;
  /// Items, newest change first (editors' list).
  virtual Result<std::vector<Item>> ListItems(db::Session& s, int limit, std::int64_t offset) = 0;
  virtual Result<std::int64_t> CountItems(db::Session& s) = 0;

  virtual Status InsertTranslation(db::Session& s, const Translation& t) = 0;
  /// Writes a translation's workflow fields when its current revision is still `expected_revision`.
  virtual Result<bool> UpdateTranslation(db::Session& s, const Translation& t, std::int64_t expected_revision) = 0;
  virtual Result<std::vector<Translation>> TranslationsOf(db::Session& s, std::string_view item_id) = 0;
  /// Translations of many items (reader lists): item id order.
  virtual Result<std::vector<Translation>> PublishedTranslations(db::Session& s, std::optional<std::string> audience) = 0;
  /// Translations waiting for review, and those whose schedule is due on `today`.
  virtual Result<std::vector<Translation>> InReview(db::Session& s) = 0;
  virtual Result<std::vector<Translation>> Due(db::Session& s, std::string_view today) = 0;
  virtual Result<std::vector<Item>> ReviewDateDue(db::Session& s, std::string_view today) = 0;

  virtual Status InsertRevision(db::Session& s, const Revision& r) = 0;
  virtual Result<std::optional<Revision>> GetRevision(db::Session& s, std::string_view translation_id,
                                                      std::int64_t number) = 0;
  /// Newest first, without bodies.
  virtual Result<std::vector<Revision>> Revisions(db::Session& s, std::string_view translation_id) = 0;
  /// Authors of the revisions after `after` (the published one).
  virtual Result<std::vector<std::string>> AuthorsSince(db::Session& s, std::string_view translation_id,
                                                        std::int64_t after) = 0;

  virtual Status InsertSuggestion(db::Session& s, const Suggestion& sug) = 0;
  virtual Result<std::vector<Suggestion>> Suggestions(db::Session& s, bool open_only) = 0;
  virtual Result<bool> ResolveSuggestion(db::Session& s, std::string_view id, std::string_view by, std::int64_t at) = 0;

  /// Replaces the index row of a translation (or removes it when `doc` is nullopt).
  virtual Status Index(db::Session& s, std::string_view translation_id, const std::optional<IndexDoc>& doc) = 0;
  /// The candidates of a word-index query, in a stable order, at most `limit`; without body_plain
  /// (BodyPlain fetches it for the results shown).
  virtual Result<std::vector<IndexDoc>> Candidates(db::Session& s, std::string_view fts5, std::string_view tsquery,
                                                   const CandidateFilter& f, int limit) = 0;
  virtual Result<std::string> BodyPlain(db::Session& s, std::string_view translation_id) = 0;
  /// The texts of several translations (empty for one not indexed), in the order of `ids`.
  virtual Result<std::vector<std::string>> BodiesPlain(db::Session& s, const std::vector<std::string>& ids) = 0;
  virtual Result<std::int64_t> CountIndexed(db::Session& s) = 0;

  virtual Status InsertAttachment(db::Session& s, const StoredAttachment& a) = 0;
  /// An item's attachments without their content, by language and time of upload.
  virtual Result<std::vector<StoredAttachment>> AttachmentsOf(db::Session& s, std::string_view item_id) = 0;
  virtual Result<std::optional<StoredAttachment>> GetAttachment(db::Session& s, std::string_view id) = 0;
  virtual Result<bool> DeleteAttachment(db::Session& s, std::string_view id) = 0;
  /// Replaces an attachment's (sealed) content, e.g. once its metadata is removed.
  virtual Status UpdateAttachmentContent(db::Session& s, std::string_view id, std::string_view content_sealed,
                                         std::int64_t size_bytes) = 0;
};

std::unique_ptr<Store> MakeSqlStore();
std::span<const db::Migration> Migrations();

}  // namespace fairdesk::knowledge
