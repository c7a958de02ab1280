#include "platform/http/request.hpp"

#include "platform/core/json_output.hpp"

namespace fairdesk::http {

std::optional<std::string> Request::Header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Request::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::string Request::Cookie(std::string_view name) const {
  auto header = Header("cookie");
  if (!header) return {};
  std::string_view s = *header;
  while (!s.empty()) {
    std::size_t semi = s.find(';');
    std::string_view pair = s.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
    if (semi == std::string_view::npos) break;
    s.remove_prefix(semi + 1);
  }
  return {};
}

const std::string& Request::Param(std::string_view name) const {
  static const std::string kEmpty;
  auto it = path_params.find(name);
  return it == path_params.end() ? kEmpty : it->second;
}

Response Response::Json(const boost::json::value& value, int status) {
  Response r;
  r.status = status;
  r.body = ToJsonText(value);
  return r;
}

}  // namespace fairdesk::http
