#include <boost/json.hpp>

#include <charconv>

#include "documents/documents.hpp"
#include "platform/core/body.hpp"
#include "platform/core/clock.hpp"

namespace fairdesk::documents {
namespace json = boost::json;
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Strict UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool IsUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    std::uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
    for (std::size_t k = 1; k < n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += n;
  }
  return true;
}

// X-Filename: the file's name, percent-encoded UTF-8 (encodeURIComponent in a browser).
Result<std::string> ReadFilename(const http::Request& req) {
  auto raw = req.Header("x-filename");
  if (!raw || raw->empty()) return Fail(Error::Invalid("filename", "is required (header X-Filename, percent-encoded)"));
  auto name = PercentDecode(*raw);
  if (!name || !IsUtf8(*name)) return Fail(Error::Invalid("filename", "must be percent-encoded UTF-8"));
  if (name->size() > 255) return Fail(Error::Invalid("filename", "may have at most 255 bytes"));
  bool bad = *name == "." || *name == ".." || std::any_of(name->begin(), name->end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f || c == '/' || c == '\\';
  });
  if (bad) return Fail(Error::Invalid("filename", "must be a plain file name without folders or control characters"));
  return *name;
}

// X-Reason: why a document is corrected, percent-encoded UTF-8 (the body is the new file).
Result<std::string> ReadReason(const http::Request& req) {
  auto raw = req.Header("x-reason");
  if (!raw || raw->empty()) return Fail(Error::Invalid("reason", "is required to correct a document (header X-Reason, percent-encoded)"));
  auto reason = PercentDecode(*raw);
  if (!reason || !IsUtf8(*reason)) return Fail(Error::Invalid("reason", "must be percent-encoded UTF-8"));
  if (reason->size() > 2000) return Fail(Error::Invalid("reason", "must be at most 2000 characters"));
  if (std::any_of(reason->begin(), reason->end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && c != '\n' && c != '\t') || u == 0x7f;
      })) {
    return Fail(Error::Invalid("reason", "must not contain control characters"));
  }
  return *reason;
}

Result<std::pair<int, std::string>> Paging(const http::Request& req) {
  std::vector<FieldError> errors;
  for (const auto& [k, v] : req.query) {
    if (k != "limit" && k != "cursor") errors.push_back({k.substr(0, 64), "unknown query parameter"});
  }
  int limit = 50;
  if (auto v = req.Query("limit")) {
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), limit);
    if (ec != std::errc{} || end != v->data() + v->size() || limit < 1 || limit > 200) {
      errors.push_back({"limit", "must be an integer from 1 to 200"});
    }
  }
  std::string cursor = req.Query("cursor").value_or("");
  if (cursor.size() > 100) errors.push_back({"cursor", "is not a valid cursor"});
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return std::pair{limit, cursor};
}

// RFC 6266 / RFC 8187: an ASCII fallback and the exact UTF-8 name.
std::string ContentDisposition(std::string_view filename) {
  std::string ascii;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : filename) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x80 || u >= 0xc0) {  // one '_' per non-ASCII character, not per byte
      ascii += (u >= 0x20 && u < 0x7f && c != '"' && c != '\\' && c != '%' && c != ';') ? c : '_';
    }
    bool attr_char = std::isalnum(u) || std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
    if (u < 0x80 && attr_char) {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[u >> 4];
      encoded += kHex[u & 15];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

json::object ToJson(const Document& d) {
  return json::object{{"id", d.id},
                      {"case_id", d.case_id},
                      {"filename", d.filename},
                      {"content_type", d.content_type},
                      {"size_bytes", d.size_bytes},
                      {"uploaded_at", clock::FormatRfc3339(d.uploaded_at)},
                      {"uploaded_by", d.uploaded_by},
                      {"uploaded_by_name", d.uploaded_by_name ? json::value(*d.uploaded_by_name) : nullptr},
                      {"withdrawn", d.withdrawn_at.has_value()},
                      {"withdrawn_at", d.withdrawn_at ? json::value(clock::FormatRfc3339(*d.withdrawn_at)) : nullptr},
                      {"withdrawn_by", d.withdrawn_by ? json::value(*d.withdrawn_by) : nullptr},
                      {"withdrawn_by_name", d.withdrawn_by_name ? json::value(*d.withdrawn_by_name) : nullptr},
                      {"change_reason", d.withdraw_reason ? json::value(*d.withdraw_reason) : nullptr},
                      {"replaces_id", d.replaces_id ? json::value(*d.replaces_id) : nullptr},
                      {"replaced_by_id", d.replaced_by_id ? json::value(*d.replaced_by_id) : nullptr}};
}

struct WithdrawBody {
  bool withdrawn = false;
  std::string reason;
};
const auto kWithdrawBody =
    body::Body<WithdrawBody>()
        .Bool("withdrawn", &WithdrawBody::withdrawn, Need::kRequired)
        .Text("reason", &WithdrawBody::reason, Need::kRequired, {.max = 2000, .min = 1, .multiline = true})
        .Rule("withdrawn", [](const WithdrawBody& b) { return b.withdrawn; }, "can only be true: a withdrawal is not undone");

constexpr std::string_view kDocumentSchema = R"({"type":"object","properties":{
  "id":{"type":"string"},"case_id":{"type":"string"},"filename":{"type":"string"},
  "content_type":{"enum":["application/pdf","image/png","image/jpeg","text/plain",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document","application/vnd.oasis.opendocument.text"]},
  "size_bytes":{"type":"integer"},"uploaded_at":{"type":"string","format":"date-time"},"uploaded_by":{"type":"string"}}})";

const std::vector<Role> kCaseRoles = {Role::kAdvisor, Role::kCentreLead, Role::kCompetenceCentre};

}  // namespace

void RegisterRoutes(http::Router& router, Service& service) {
  auto& upload = router.Post("/api/v1/cases/{id}/documents", [&service](http::Request& req) -> Result<http::Response> {
    std::string filename = FD_TRY(ReadFilename(req));
    auto doc = FD_TRY(service.Upload(req.User(), req.Param("id"), req.Header("content-type").value_or(""),
                                     std::move(filename), req.body));
    auto r = http::Response::Json(ToJson(doc), 201);
    r.With("Location", "/api/v1/documents/" + doc.id);
    return r;
  });
  upload.slow = true;
  upload.roles = kCaseRoles;
  upload.max_body_bytes = kMaxDocumentBytes;
  upload.json_body = false;  // the body is the file itself
  upload.doc = {"Upload a document to a case. The body is the file itself (not multipart); Content-Type "
                "declares its type (PDF, PNG, JPEG, plain text, DOCX, ODT), which must match the content; "
                "X-Filename carries the name, percent-encoded UTF-8. At most 20 MiB.",
                "documents",
                json::object{{"type", "string"}, {"format", "binary"}},
                json::parse(kDocumentSchema),
                {},
                201};

  auto& list = router.Get("/api/v1/cases/{id}/documents", [&service](http::Request& req) -> Result<http::Response> {
    auto [limit, cursor] = FD_TRY(Paging(req));
    auto page = FD_TRY(service.List(req.User(), req.Param("id"), limit, cursor));
    json::array items;
    for (const auto& d : page.items) items.push_back(ToJson(d));
    return http::Response::Json(json::object{
        {"items", std::move(items)},
        {"next_cursor", page.next_cursor ? json::value(*page.next_cursor) : json::value(nullptr)}});
  });
  list.roles = kCaseRoles;
  list.doc = {"Documents of a case, newest first",
              "documents",
              nullptr,
              json::object{{"type", "object"},
                           {"properties", json::object{{"items", json::object{{"type", "array"},
                                                                              {"items", json::parse(kDocumentSchema)}}},
                                                       {"next_cursor", json::object{{"type", json::array{"string", "null"}}}}}}},
              {"limit", "cursor"}};

  auto& download = router.Get("/api/v1/documents/{id}", [&service](http::Request& req) -> Result<http::Response> {
    auto d = FD_TRY(service.Fetch(req.User(), req.Param("id")));
    http::Response r;
    r.status = 200;
    r.content_type = d.document.content_type;
    r.body = std::move(d.content);
    r.With("Content-Disposition", ContentDisposition(d.document.filename));
    return r;
  });
  download.slow = true;
  download.roles = kCaseRoles;
  download.doc = {"Download a document (as an attachment, with its stored type); audited",
                  "documents", nullptr, json::object{{"type", "string"}, {"format", "binary"}}};

  auto& remove = router.Delete("/api/v1/documents/{id}", [&service](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(service.Remove(req.User(), req.Param("id")));
    return http::Response::NoContent();
  });
  remove.roles = kCaseRoles;
  remove.doc = {"Delete a document", "documents", nullptr, nullptr, {}, 204};

  auto& correct = router.Post("/api/v1/documents/{id}/versions", [&service](http::Request& req) -> Result<http::Response> {
    std::string reason = FD_TRY(ReadReason(req));
    std::string filename = FD_TRY(ReadFilename(req));
    auto doc = FD_TRY(service.Correct(req.User(), req.Param("id"), req.Header("content-type").value_or(""),
                                      std::move(filename), req.body, std::move(reason)));
    auto r = http::Response::Json(ToJson(doc), 201);
    r.With("Location", "/api/v1/documents/" + doc.id);
    return r;
  });
  correct.slow = true;
  correct.roles = kCaseRoles;
  correct.max_body_bytes = kMaxDocumentBytes;
  correct.json_body = false;  // the body is the corrected file itself
  correct.doc = {"Correct a document by a new version (its uploader or the centre lead). The body is the new file "
                 "as for an upload (Content-Type, X-Filename); X-Reason carries the reason, percent-encoded UTF-8. "
                 "The old version stays listed, withdrawn with the reason and replaced_by_id; the new one has "
                 "replaces_id. Audited.",
                 "documents",
                 json::object{{"type", "string"}, {"format", "binary"}},
                 json::parse(kDocumentSchema),
                 {},
                 201};

  auto& withdraw = router.Patch("/api/v1/documents/{id}", [&service](http::Request& req) -> Result<http::Response> {
    auto b = FD_TRY(kWithdrawBody.Parse(req.body));
    auto d = FD_TRY(service.Withdraw(req.User(), req.Param("id"), std::move(b.reason)));
    return http::Response::Json(ToJson(d));
  });
  withdraw.roles = kCaseRoles;
  withdraw.doc = {"Withdraw a document with a reason (its uploader or the centre lead): it stays listed, marked "
                  "withdrawn with who, when and why; audited",
                  "documents", kWithdrawBody.Schema(), json::parse(kDocumentSchema)};
}

Result<std::string> UploadFilename(const http::Request& req) { return ReadFilename(req); }
std::string DownloadDisposition(std::string_view filename) { return ContentDisposition(filename); }

}  // namespace fairdesk::documents
