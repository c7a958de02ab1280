#pragma once
/// Videos in German Sign Language (DGS) on the portal (BITV 2.0 § 4): the home page explains its
/// content, navigation and the essentials of the accessibility statement in DGS, and the
/// accessibility statement may have videos of its own. An admin adds a video either as a file
/// (MP4 or WebM, its type checked by content like any upload) served by the portal itself, or as
/// a link to one published elsewhere; with its duration, frame size and rate (BITV: at least
/// 320×240 and 25 frames per second), optional captions (WebVTT) and a German transcript. The
/// portal shows each with size and duration, a download link, the captions and the transcript;
/// a video whose file is not yet uploaded is not shown.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/error.hpp"
#include "platform/db/database.hpp"
#include "platform/http/conditional.hpp"
#include "platform/http/router.hpp"

namespace fairdesk::portal {

/// The portal pages with a slot for sign-language videos.
inline constexpr std::string_view kSignVideoPages[] = {"home", "accessibility"};

struct SignVideo {
  std::string id, page, title;
  std::optional<std::string> url;  // a link to a video published elsewhere; nullopt: uploaded here
  std::string content_type;        // of the uploaded file ("" until uploaded, and for links)
  std::int64_t size_bytes = 0;
  std::int64_t duration_seconds = 0, width = 0, height = 0, fps = 0;
  std::string captions;    // WebVTT ("" for none)
  std::string transcript;  // German ("" for none)
  std::int64_t created_at = 0;
  std::int64_t version = 1;  // counts every change of the entry or its file
  /// Shown on the portal: a link, or an uploaded file.
  bool ready() const { return url.has_value() || !content_type.empty(); }
  /// The strong entity tag of this version (If-Match on changes, ETag and If-Range of the file).
  std::string etag() const;
};

/// The bytes of an uploaded file that a request asks for: all, or one range of it.
struct SignVideoFile {
  SignVideo video;
  http::ByteRange range;
  bool not_modified = false;  // pick answered nullopt: no bytes read
  std::string bytes;          // empty when File was asked not to read them (HEAD)
};

class SignVideos {
 public:
  explicit SignVideos(db::Database& db) : db_(db) {}
  /// The videos the portal shows on `page`, in the order they were added.
  Result<std::vector<SignVideo>> Shown(const std::string& page);
  /// One video's uploaded file for the portal (not found unless uploaded): `pick` chooses the
  /// part from the file's size and ETag (ReadByteRange), and only that part is read from the
  /// database; none when it answers nullopt (the client's copy is current) or for a HEAD
  /// request (`read_bytes` false: the entry and the chosen range only).
  Result<SignVideoFile> File(const std::string& id,
                             const std::function<std::optional<http::ByteRange>(std::uint64_t size, const std::string& etag)>& pick,
                             bool read_bytes = true);
  Result<SignVideo> Get(const std::string& id);
  /// Admins only. Changes take the If-Match tags the request sent (none: no precondition; a
  /// stale one: 412, nothing changed).
  Result<std::vector<SignVideo>> List(const Principal& p);
  Result<SignVideo> Create(const Principal& p, SignVideo v);
  /// Changes an entry's texts and facts (`change` edits a copy; its error changes nothing).
  Result<SignVideo> Update(const Principal& p, const std::string& id, const std::vector<std::string>& if_match,
                           const std::function<Status(SignVideo&)>& change);
  /// The file of a video that is not a link (MP4 or WebM; the content must be the declared type),
  /// new or replacing the one before.
  Result<SignVideo> PutFile(const Principal& p, const std::string& id, const std::vector<std::string>& if_match,
                            std::string_view declared_type, std::string bytes);
  Status Delete(const Principal& p, const std::string& id, const std::vector<std::string>& if_match = {});

 private:
  Result<SignVideo> Load(db::Session& s, const std::string& id);
  db::Database& db_;
};

void RegisterSignVideoRoutes(http::Router& router, SignVideos& videos);
/// The DGS section of a portal page in `lang` (headings at `level`), or the "not yet recorded"
/// notice where there is no video.
std::string SignVideoSection(const std::string& lang, const std::vector<SignVideo>& videos, int level);

}  // namespace fairdesk::portal
