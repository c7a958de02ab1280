#pragma once
/// The built web app, read into memory at start-up: correct MIME types, long cache for hashed
/// assets under /assets/, index.html for client-side routes, precompressed .br/.gz variants.

#include <map>
#include <optional>
#include <string>

#include "platform/http/request.hpp"

namespace fairdesk::http {

class StaticFiles {
 public:
  explicit StaticFiles(const std::string& root);
  bool empty() const { return files_.empty(); }
  /// Answers the file for a GET/HEAD path, or nullopt when the path is not a web-app path.
  std::optional<Response> Serve(const Request& request) const;

 private:
  struct File {
    std::string content, br, gz, type;
  };
  std::map<std::string, File, std::less<>> files_;
};

std::string_view MimeType(std::string_view path);

}  // namespace fairdesk::http
