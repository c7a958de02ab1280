#include "portal/sign_videos.hpp"

#include <algorithm>
#include <cctype>

#include "audit/audit.hpp"
#include "cases/model.hpp"
#include "documents/content_type.hpp"
#include "platform/core/body.hpp"
#include "platform/core/clock.hpp"
#include "platform/crypto/crypto.hpp"
#include "portal/html.hpp"
#include "portal/i18n.hpp"

namespace fairdesk::portal {
namespace json = boost::json;
namespace {

// The columns FromRow reads, in its order.
#define FD_SIGN_VIDEO_SELECT                                                                                  \
  "SELECT id, page, title, url, content_type, size_bytes, duration_seconds, width, height, fps, captions, " \
  "transcript, created_at, version FROM portal_sign_videos "
constexpr db::Query kShown{"portal.sign_videos_shown",
                           FD_SIGN_VIDEO_SELECT "WHERE page = $1 AND "
                           "(url IS NOT NULL OR content_type <> '') ORDER BY created_at, id"};
constexpr db::Query kAll{"portal.sign_videos_all",
                         FD_SIGN_VIDEO_SELECT "ORDER BY page, created_at, id"};
constexpr db::Query kOne{"portal.sign_video",
                         FD_SIGN_VIDEO_SELECT "WHERE id = $1"};
// A part of the file (substr counts from 1, on BYTEA and BLOB alike), of the version read before.
constexpr db::Query kFilePart{"portal.sign_video_file_part",
                              "SELECT substr(content, $2, $3) FROM portal_sign_videos WHERE id = $1 AND version = $4"};
constexpr db::Query kInsert{"portal.sign_video_insert",
                            "INSERT INTO portal_sign_videos (id, page, title, url, content_type, size_bytes, "
                            "duration_seconds, width, height, fps, captions, transcript, created_at, created_by) "
                            "VALUES ($1, $2, $3, $4, '', 0, $5, $6, $7, $8, $9, $10, $11, $12)"};
constexpr db::Query kSetFile{"portal.sign_video_set_file",
                             "UPDATE portal_sign_videos SET content_type = $2, size_bytes = $3, content = $4, "
                             "version = version + 1 WHERE id = $1 AND url IS NULL AND version = $5"};
constexpr db::Query kUpdate{"portal.sign_video_update",
                            "UPDATE portal_sign_videos SET page = $2, title = $3, url = $4, duration_seconds = $5, "
                            "width = $6, height = $7, fps = $8, captions = $9, transcript = $10, version = version + 1 "
                            "WHERE id = $1 AND version = $11"};
constexpr db::Query kDelete{"portal.sign_video_delete", "DELETE FROM portal_sign_videos WHERE id = $1 AND version = $2"};

SignVideo FromRow(const db::Row& r) {
  SignVideo v;
  v.id = r.Text(0);
  v.page = r.Text(1);
  v.title = r.Text(2);
  v.url = r.OptText(3);
  v.content_type = r.Text(4);
  v.size_bytes = r.Int(5);
  v.duration_seconds = r.Int(6);
  v.width = r.Int(7);
  v.height = r.Int(8);
  v.fps = r.Int(9);
  v.captions = r.Text(10);
  v.transcript = r.Text(11);
  v.created_at = r.Int(12);
  v.version = r.Int(13);
  return v;
}

Status AdminOnly(const Principal& p) {
  if (p.role != Role::kAdmin) return Fail(Error::Forbidden());
  return {};
}

bool IsHttpsUrl(std::string_view s) {
  if (!s.starts_with("https://") || s.size() < 12) return false;
  return std::none_of(s.begin(), s.end(), [](unsigned char c) { return c <= 0x20 || c == '"' || c == '<' || c == '>' || c == 0x7F; });
}

bool IsWebVtt(std::string_view s) { return s.empty() || s.starts_with("WEBVTT"); }

struct NewVideo {
  std::string page, title;
  std::optional<std::string> url, captions, transcript;
  std::int64_t duration_seconds = 0, width = 0, height = 0, fps = 0;
};
// BITV 2.0 (Anlage 2, Teil 2): DGS videos at least 320×240 pixels and 25 frames per second.
const auto kNewVideo = body::Body<NewVideo>()
                           .Enum("page", &NewVideo::page, Need::kRequired, kSignVideoPages)
                           .Text("title", &NewVideo::title, Need::kRequired, {.max = 200, .min = 1})
                           .Text("url", &NewVideo::url, Need::kOptional,
                                 {.max = 2000, .min = 12, .valid = IsHttpsUrl, .invalid = "must be an https:// address",
                                  .format = "uri"})
                           .Int("duration_seconds", &NewVideo::duration_seconds, Need::kRequired, {.min = 1, .max = 3 * 3600})
                           .Int("width", &NewVideo::width, Need::kRequired, {.min = 320, .max = 7680})
                           .Int("height", &NewVideo::height, Need::kRequired, {.min = 240, .max = 4320})
                           .Int("fps", &NewVideo::fps, Need::kRequired, {.min = 25, .max = 120})
                           .Text("captions", &NewVideo::captions, Need::kOptional,
                                 {.max = 200000, .multiline = true, .valid = IsWebVtt, .invalid = "must be WebVTT (starting with WEBVTT)"})
                           .Text("transcript", &NewVideo::transcript, Need::kOptional, {.max = 50000, .multiline = true});

json::object VideoJson(const SignVideo& v) {
  return json::object{{"id", v.id},
                      {"page", v.page},
                      {"title", v.title},
                      {"url", v.url ? json::value(*v.url) : json::value(nullptr)},
                      {"content_type", v.content_type.empty() ? json::value(nullptr) : json::value(v.content_type)},
                      {"size_bytes", v.size_bytes},
                      {"duration_seconds", v.duration_seconds},
                      {"width", v.width},
                      {"height", v.height},
                      {"fps", v.fps},
                      {"has_captions", !v.captions.empty()},
                      {"captions", v.captions},
                      {"transcript", v.transcript},
                      {"shown", v.ready()},
                      {"etag", v.etag()},
                      {"created_at", clock::FormatRfc3339(v.created_at)}};
}

// A video as the API answers it, with its ETag.
http::Response Answer(const SignVideo& v) { return http::Response::Json(VideoJson(v)).With("ETag", v.etag()); }

// "2:05 min"
std::string Duration(std::int64_t seconds) {
  std::string s = std::to_string(seconds % 60);
  if (s.size() < 2) s.insert(0, "0");
  return std::to_string(seconds / 60) + ":" + s + " min";
}

// "12,3 MB" (decimal comma, as the portal writes amounts)
std::string Megabytes(std::int64_t bytes) {
  std::int64_t tenths = (bytes * 10 + 524288) / 1048576;
  if (tenths < 1) tenths = 1;
  return std::to_string(tenths / 10) + "," + std::to_string(tenths % 10) + " MB";
}

}  // namespace

std::string SignVideo::etag() const { return cases::MakeETag(id, version); }

Result<std::vector<SignVideo>> SignVideos::Shown(const std::string& page) {
  std::vector<SignVideo> out;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    for (const auto& r : FD_TRY(s.Query(kShown, {page}))) out.push_back(FromRow(r));
    return {};
  }));
  return out;
}

Result<SignVideo> SignVideos::Get(const std::string& id) {
  std::optional<SignVideo> out;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    out = FD_TRY(Load(s, id));
    return {};
  }));
  return *out;
}

Result<SignVideo> SignVideos::Load(db::Session& s, const std::string& id) {
  auto r = FD_TRY(s.MaybeOne(kOne, {id}));
  if (!r) return Fail(Error::NotFound("No such sign-language video."));
  return FromRow(*r);
}

Result<SignVideoFile> SignVideos::File(const std::string& id,
                                       const std::function<std::optional<http::ByteRange>(std::uint64_t, const std::string&)>& pick,
                                       bool read_bytes) {
  SignVideoFile out;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    out.video = FD_TRY(Load(s, id));
    if (out.video.content_type.empty()) return Fail(Error::NotFound("No such sign-language video."));
    const auto size = static_cast<std::uint64_t>(out.video.size_bytes);
    auto range = pick(size, out.video.etag());
    if (!range) {
      out.not_modified = true;
      return {};
    }
    out.range = *range;
    if (out.range.kind == http::ByteRange::Kind::kUnsatisfiable || !read_bytes) return {};
    const bool part = out.range.kind == http::ByteRange::Kind::kPart;
    const auto first = static_cast<std::int64_t>(part ? out.range.first : 0);
    const auto length = static_cast<std::int64_t>(part ? out.range.length() : size);
    // The version read above: a file replaced in between is not mixed into this answer.
    auto r = FD_TRY(s.MaybeOne(kFilePart, {id, first + 1, length, out.video.version}));
    if (!r) return Fail(Error::NotFound("No such sign-language video."));
    db::Blob b = r->Bytes(0);
    out.bytes.assign(b.bytes.begin(), b.bytes.end());
    return {};
  }));
  return out;
}

Result<std::vector<SignVideo>> SignVideos::List(const Principal& p) {
  FD_TRY_VOID(AdminOnly(p));
  std::vector<SignVideo> out;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    for (const auto& r : FD_TRY(s.Query(kAll, {}))) out.push_back(FromRow(r));
    return {};
  }));
  return out;
}

Result<SignVideo> SignVideos::Create(const Principal& p, SignVideo v) {
  FD_TRY_VOID(AdminOnly(p));
  v.id = crypto::NewId("dgs");
  v.created_at = clock::NowUnix();
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    FD_TRY(s.Exec(kInsert, {v.id, v.page, v.title, db::Opt(v.url), v.duration_seconds, v.width, v.height, v.fps,
                            v.captions, v.transcript, v.created_at, p.user_id}));
    return audit::Record(s, p, audit::kCreate, "sign_video", v.id);
  }));
  return v;
}

Result<SignVideo> SignVideos::Update(const Principal& p, const std::string& id, const std::vector<std::string>& if_match,
                                     const std::function<Status(SignVideo&)>& change) {
  FD_TRY_VOID(AdminOnly(p));
  SignVideo v;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    v = FD_TRY(Load(s, id));
    if (!http::IfMatchAllows(if_match, v.etag())) return Fail(Error::Stale("The sign-language video"));
    SignVideo next = v;
    FD_TRY_VOID(change(next));
    if (next.url && !v.content_type.empty()) {
      return Fail(Error::Invalid("url", "this video has a file; remove it and add the link as a new video"));
    }
    if (FD_TRY(s.Exec(kUpdate, {id, next.page, next.title, db::Opt(next.url), next.duration_seconds, next.width, next.height,
                                next.fps, next.captions, next.transcript, v.version})) == 0) {
      return Fail(Error::Stale("The sign-language video"));
    }
    v = std::move(next);
    ++v.version;
    return audit::Record(s, p, audit::kUpdate, "sign_video", id);
  }));
  return v;
}

Result<SignVideo> SignVideos::PutFile(const Principal& p, const std::string& id, const std::vector<std::string>& if_match,
                                      std::string_view declared, std::string bytes) {
  FD_TRY_VOID(AdminOnly(p));
  SignVideo v = FD_TRY(Get(id));
  if (!http::IfMatchAllows(if_match, v.etag())) return Fail(Error::Stale("The sign-language video"));
  if (v.url) return Fail(Error::Invalid("url", "this video is a link; it has no file"));
  // The same check as every upload (libmagic reads the content), for the two video types.
  std::string type(declared.substr(0, declared.find(';')));
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  if (type != "video/mp4" && type != "video/webm") {
    return Fail(Error{ErrorKind::kUnsupportedMedia, "A sign-language video must be video/mp4 or video/webm.",
                      {{"content_type", "must be video/mp4 or video/webm"}}});
  }
  std::string sniffed = FD_TRY(documents::SniffContentType(bytes));
  if (sniffed != type) return Fail(Error::Invalid("content_type", "the content is not " + type));
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    db::Blob blob;
    blob.bytes.assign(bytes.begin(), bytes.end());
    // Changed since it was read (another admin's upload or edit): nothing stored.
    if (FD_TRY(s.Exec(kSetFile, {id, type, static_cast<std::int64_t>(bytes.size()), std::move(blob), v.version})) == 0) {
      return Fail(Error::Stale("The sign-language video"));
    }
    return audit::Record(s, p, audit::kUpdate, "sign_video", id);
  }));
  v.content_type = type;
  v.size_bytes = static_cast<std::int64_t>(bytes.size());
  ++v.version;
  return v;
}

Status SignVideos::Delete(const Principal& p, const std::string& id, const std::vector<std::string>& if_match) {
  FD_TRY_VOID(AdminOnly(p));
  return db_.Write([&](db::Session& s) -> Status {
    SignVideo v = FD_TRY(Load(s, id));
    if (!http::IfMatchAllows(if_match, v.etag())) return Fail(Error::Stale("The sign-language video"));
    if (FD_TRY(s.Exec(kDelete, {id, v.version})) == 0) return Fail(Error::Stale("The sign-language video"));
    return audit::Record(s, p, audit::kDelete, "sign_video", id);
  });
}

std::string SignVideoSection(const std::string& lang, const std::vector<SignVideo>& videos, int level) {
  const auto& c = Catalog::Get();
  auto t = [&](std::string_view k, std::initializer_list<std::pair<std::string_view, std::string>> vars = {}) {
    return Esc(c.T(lang, k, vars));
  };
  std::string hl = std::to_string(level), sub = std::to_string(level + 1);
  std::string h = "<section aria-labelledby=\"dgs\" class=\"sign-videos\"><h" + hl + " id=\"dgs\">" + t("home.signTitle") + "</h" + hl + ">";
  if (videos.empty()) return h + "<p>" + t("home.signText") + "</p></section>";
  h += "<p>" + t("sign.intro") + "</p>";
  for (const auto& v : videos) {
    const std::string id = Esc(v.id);
    h += "<article class=\"card sign-video\"><h" + sub + " lang=\"de\">" + Esc(v.title) + "</h" + sub + ">";
    std::string facts = Duration(v.duration_seconds) + ", " + std::to_string(v.width) + "×" + std::to_string(v.height) +
                        ", " + std::to_string(v.fps) + " fps";
    if (v.url) {
      h += "<p><a href=\"" + Esc(*v.url) + "\" rel=\"external\">" + t("sign.watchExternal") + "</a> <bdi dir=\"ltr\">(" +
           Esc(facts) + ")</bdi></p>";
    } else {
      h += "<video controls preload=\"none\" width=\"" + std::to_string(v.width) + "\" height=\"" + std::to_string(v.height) +
           "\" src=\"/portal/sign-videos/" + id + "\" aria-label=\"" + Esc(v.title) + "\">";
      if (!v.captions.empty()) {
        h += "<track kind=\"captions\" srclang=\"de\" label=\"Deutsch\" src=\"/portal/sign-videos/" + id + "/captions.vtt\" default>";
      }
      h += "</video>";
      std::string type = v.content_type == "video/webm" ? "WebM" : "MP4";
      h += "<p><a href=\"/portal/sign-videos/" + id + "?download=1\" download>" + t("sign.download") + "</a> <bdi dir=\"ltr\">(" +
           type + ", " + Megabytes(v.size_bytes) + ", " + Esc(facts) + ")</bdi></p>";
    }
    if (!v.captions.empty()) h += "<p class=\"small\">" + t("sign.captions") + "</p>";
    if (!v.transcript.empty()) {
      h += "<details><summary>" + t("sign.transcript") + "</summary><div lang=\"de\" class=\"transcript\">";
      std::size_t pos = 0;
      while (pos < v.transcript.size()) {
        auto end = v.transcript.find("\n\n", pos);
        std::string_view para = std::string_view(v.transcript).substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        if (!para.empty()) h += "<p>" + Esc(para) + "</p>";
        if (end == std::string::npos) break;
        pos = end + 2;
      }
      h += "</div></details>";
    }
    h += "</article>";
  }
  return h + "</section>";
}

void RegisterSignVideoRoutes(http::Router& router, SignVideos& videos) {
  // The portal serves the files and captions (public, no session, cacheable).
  // One range of the file (206, Content-Range; a range past the end 416) so that a phone can
  // seek and a browser play without loading the whole file; several ranges are answered with the
  // whole file (200). Only the bytes asked for are read from the database; HEAD reads none and
  // states the length a GET would send.
  auto& file = router.Get("/portal/sign-videos/{id}", [&videos](http::Request& req) -> Result<http::Response> {
    const bool head = req.method == "HEAD";
    SignVideoFile f = FD_TRY(videos.File(
        req.Param("id"),
        [&req](std::uint64_t size, const std::string& etag) {
          // A copy the client has is still this version: 304, and nothing read (RFC 9110 §13.1.2).
          return http::IfNoneMatchHits(req, etag) ? std::nullopt : std::optional(http::ReadByteRange(req, size, etag));
        },
        !head));
    const auto size = static_cast<std::uint64_t>(f.video.size_bytes);
    const std::string& type = f.video.content_type;
    http::Response r{200, type, {{"Cache-Control", "public, max-age=3600"}, {"Accept-Ranges", "bytes"}, {"ETag", f.video.etag()}},
                     std::move(f.bytes)};
    if (f.not_modified) {
      r.status = 304;
      r.content_type.clear();
      return r;
    }
    if (f.range.kind == http::ByteRange::Kind::kUnsatisfiable) {
      r.status = 416;
      r.content_type.clear();
      r.headers.emplace_back("Content-Range", http::ContentRange(f.range, size));
      return r;
    }
    if (f.range.kind == http::ByteRange::Kind::kPart) {
      r.status = 206;
      r.headers.emplace_back("Content-Range", http::ContentRange(f.range, size));
    }
    if (head) r.head_length = f.range.kind == http::ByteRange::Kind::kPart ? f.range.length() : size;
    if (req.Query("download")) {
      r.headers.emplace_back("Content-Disposition", std::string("attachment; filename=\"gebaerdensprache.") +
                                                        (type == "video/webm" ? "webm" : "mp4") + "\"");
    }
    return r;
  });
  auto& captions = router.Get("/portal/sign-videos/{id}/captions.vtt", [&videos](http::Request& req) -> Result<http::Response> {
    SignVideo v = FD_TRY(videos.Get(req.Param("id")));
    if (v.captions.empty() || !v.ready()) return Fail(Error::NotFound("No captions."));
    http::Response r{200, "text/vtt; charset=utf-8", {{"Cache-Control", "public, max-age=3600"}}, v.captions};
    return r;
  });
  for (http::Route* r : {&file, &captions}) {
    r->access = http::Access::kPublic;
    r->session = false;
    r->hidden = true;
  }
  file.slow = true;  // up to 200 MB of video

  auto& list = router.Get("/api/v1/portal/sign-videos", [&videos](http::Request& req) -> Result<http::Response> {
    if (!req.query.empty()) return Fail(Error::Invalid(req.query.begin()->first.substr(0, 64), "unknown query parameter"));
    json::array items;
    for (const auto& v : FD_TRY(videos.List(req.User()))) items.push_back(VideoJson(v));
    return http::Response::Json(json::object{{"items", std::move(items)}});
  });
  list.roles = {Role::kAdmin};
  list.doc = {"The portal's sign-language (DGS) videos, shown or awaiting their file (admin)", "portal"};

  auto& create = router.Post("/api/v1/portal/sign-videos", [&videos](http::Request& req) -> Result<http::Response> {
    NewVideo in = FD_TRY(kNewVideo.Parse(req.body));
    SignVideo v;
    v.page = in.page;
    v.title = in.title;
    v.url = in.url;
    v.duration_seconds = in.duration_seconds;
    v.width = in.width;
    v.height = in.height;
    v.fps = in.fps;
    v.captions = in.captions.value_or("");
    v.transcript = in.transcript.value_or("");
    http::Response r = Answer(FD_TRY(videos.Create(req.User(), std::move(v))));
    r.status = 201;
    return r;
  });
  create.roles = {Role::kAdmin};
  create.doc = {"Add a sign-language video to a portal page: a link (url), or an entry whose file follows with PUT …/file "
                "(admin); BITV 2.0: at least 320×240 and 25 fps",
                "portal", kNewVideo.Schema(), nullptr, {}, 201};

  auto& one = router.Get("/api/v1/portal/sign-videos/{id}", [&videos](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(AdminOnly(req.User()));
    return Answer(FD_TRY(videos.Get(req.Param("id"))));
  });
  one.roles = {Role::kAdmin};
  one.doc = {"One sign-language video with its ETag (admin)", "portal"};

  auto& patch = router.Patch("/api/v1/portal/sign-videos/{id}", [&videos](http::Request& req) -> Result<http::Response> {
    auto body = FD_TRY(ParseJsonBody(req.body));
    auto v = FD_TRY(videos.Update(req.User(), req.Param("id"), http::IfMatchTags(req), [&](SignVideo& v) -> Status {
      NewVideo in{v.page, v.title, v.url, v.captions, v.transcript, v.duration_seconds, v.width, v.height, v.fps};
      FD_TRY(kNewVideo.Apply(body, in));
      v.page = in.page;
      v.title = in.title;
      v.url = in.url;
      v.captions = in.captions.value_or("");
      v.transcript = in.transcript.value_or("");
      v.duration_seconds = in.duration_seconds;
      v.width = in.width;
      v.height = in.height;
      v.fps = in.fps;
      return {};
    }));
    return Answer(v);
  });
  patch.roles = {Role::kAdmin};
  patch.doc = {"Change a sign-language video's page, title, captions, transcript or facts (admin; If-Match: its ETag, "
               "412 when another admin changed it since)",
               "portal", kNewVideo.Schema(body::Mode::kPatch)};

  auto& upload = router.Put("/api/v1/portal/sign-videos/{id}/file", [&videos](http::Request& req) -> Result<http::Response> {
    auto v = FD_TRY(videos.PutFile(req.User(), req.Param("id"), http::IfMatchTags(req), req.Header("content-type").value_or(""),
                                   std::move(req.body)));
    return Answer(v);
  });
  upload.roles = {Role::kAdmin};
  upload.slow = true;
  upload.json_body = false;  // the body is the video itself
  upload.max_body_bytes = std::size_t{200} << 20;
  upload.doc = {"Upload or replace the file of a sign-language video (video/mp4 or video/webm, checked by content; admin; "
                "If-Match optional)",
                "portal"};

  auto& remove = router.Delete("/api/v1/portal/sign-videos/{id}", [&videos](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(videos.Delete(req.User(), req.Param("id"), http::IfMatchTags(req)));
    return http::Response{204, "", {}, ""};
  });
  remove.roles = {Role::kAdmin};
  remove.doc = {"Remove a sign-language video from the portal (admin)", "portal", nullptr, nullptr, {}, 204};
}

}  // namespace fairdesk::portal
