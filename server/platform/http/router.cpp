#include "platform/http/router.hpp"

#include <algorithm>

namespace fairdesk::http {

std::optional<std::vector<std::string_view>> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path[0] != '/') return std::nullopt;
  std::size_t i = 1;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view seg = path.substr(i, j - i);
    if (seg == "." || seg == "..") return std::nullopt;
    if (seg.empty() && j != path.size()) return std::nullopt;  // "//"
    if (!seg.empty()) out.push_back(seg);
    i = j + 1;
  }
  return out;
}

Route& Router::Add(Route route) {
  Pattern pattern;
  if (auto segs = SplitPath(route.pattern)) {
    pattern.segments.assign(segs->begin(), segs->end());
    pattern.valid = true;
  }
  patterns_.push_back(std::move(pattern));
  routes_.push_back(std::move(route));
  return routes_.back();
}

Match Router::Find(std::string_view method, std::string_view path) const {
  Match result;
  auto segs = SplitPath(path);
  if (!segs) return result;
  for (std::size_t k = 0; k < routes_.size(); ++k) {
    const Route& r = routes_[k];
    const Pattern& pat = patterns_[k];
    if (!pat.valid || pat.segments.size() != segs->size()) continue;
    std::map<std::string, std::string, std::less<>> params;
    bool ok = true;
    for (std::size_t i = 0; i < pat.segments.size() && ok; ++i) {
      std::string_view p = pat.segments[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        params.emplace(std::string(p.substr(1, p.size() - 2)), std::string((*segs)[i]));
      } else {
        ok = p == (*segs)[i];
      }
    }
    if (!ok) continue;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      result.route = &r;
      result.params = std::move(params);
      result.allowed_methods.clear();
      return result;
    }
    if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), r.method) ==
        result.allowed_methods.end()) {
      result.allowed_methods.push_back(r.method);
    }
  }
  return result;
}

}  // namespace fairdesk::http
