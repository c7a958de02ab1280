#include "platform/http/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fairdesk::http {
namespace fs = std::filesystem;

std::string_view MimeType(std::string_view path) {
  struct Entry {
    std::string_view ext, type;
  };
  static constexpr Entry kTypes[] = {
      {".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},          {".svg", "image/svg+xml"},
      {".png", "image/png"},                  {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},               {".woff2", "font/woff2"},
      {".woff", "font/woff"},                 {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},  {".webmanifest", "application/manifest+json"},
      {".map", "application/json"},
  };
  for (const auto& e : kTypes) {
    if (path.size() >= e.ext.size() && path.substr(path.size() - e.ext.size()) == e.ext) return e.type;
  }
  return "application/octet-stream";
}

namespace {
std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool Accepts(const Request& r, std::string_view encoding) {
  auto ae = r.Header("accept-encoding");
  return ae && ae->find(encoding) != std::string::npos;
}
}  // namespace

StaticFiles::StaticFiles(const std::string& root) {
  if (root.empty() || !fs::is_directory(root)) return;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::string rel = "/" + fs::relative(entry.path(), root).generic_string();
    if (rel.ends_with(".br") || rel.ends_with(".gz")) continue;
    File f;
    f.content = ReadAll(entry.path());
    f.type = std::string(MimeType(rel));
    fs::path br = entry.path().string() + ".br";
    fs::path gz = entry.path().string() + ".gz";
    if (fs::exists(br)) f.br = ReadAll(br);
    if (fs::exists(gz)) f.gz = ReadAll(gz);
    files_.emplace(rel, std::move(f));
  }
}

std::optional<Response> StaticFiles::Serve(const Request& request) const {
  if (files_.empty() || request.path.starts_with("/api/")) return std::nullopt;
  auto it = files_.find(request.path);
  bool fallback = false;
  if (it == files_.end()) {
    // Client-side routes (no file extension in the last segment) get index.html; a missing
    // asset is a real 404.
    std::string_view last = std::string_view(request.path).substr(request.path.rfind('/') + 1);
    if (last.find('.') != std::string_view::npos) return std::nullopt;
    it = files_.find("/index.html");
    fallback = true;
    if (it == files_.end()) return std::nullopt;
  }
  const File& f = it->second;
  Response r;
  r.content_type = f.type;
  bool hashed = request.path.starts_with("/assets/") && !fallback;
  r.headers.emplace_back("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  if (!f.br.empty() || !f.gz.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
  if (!f.br.empty() && Accepts(request, "br")) {
    r.headers.emplace_back("Content-Encoding", "br");
    r.body = f.br;
  } else if (!f.gz.empty() && Accepts(request, "gzip")) {
    r.headers.emplace_back("Content-Encoding", "gzip");
    r.body = f.gz;
  } else {
    r.body = f.content;
  }
  return r;
}

}  // namespace fairdesk::http
