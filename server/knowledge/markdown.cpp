#include "knowledge/markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <cctype>
#include <memory>
#include <mutex>

namespace fairdesk::knowledge {
namespace {

constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES;

struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
using NodePtr = std::unique_ptr<cmark_node, NodeDeleter>;

void EnsureExtensions() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

NodePtr Parse(std::string_view markdown) {
  EnsureExtensions();
  cmark_parser* parser = cmark_parser_new(kOptions);
  for (const char* name : {"table", "strikethrough", "autolink", "tasklist"}) {
    if (auto* ext = cmark_find_syntax_extension(name)) cmark_parser_attach_syntax_extension(parser, ext);
  }
  cmark_parser_feed(parser, markdown.data(), markdown.size());
  cmark_node* doc = cmark_parser_finish(parser);
  cmark_parser_free(parser);
  return NodePtr(doc);
}

bool SafeUrl(std::string_view url) {
  std::string lower;
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20) continue;  // browsers ignore whitespace in schemes
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  auto colon = lower.find(':');
  if (colon == std::string::npos) return true;  // relative
  auto slash = lower.find_first_of("/?#");
  if (slash != std::string::npos && slash < colon) return true;  // the colon is in the path
  std::string scheme = lower.substr(0, colon);
  return scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel";
}

}  // namespace

Status CheckMarkdown(std::string_view markdown, std::string_view field) {
  auto doc = Parse(markdown);
  cmark_iter* iter = cmark_iter_new(doc.get());
  std::string problem;
  cmark_event_type ev;
  while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(iter);
    auto type = cmark_node_get_type(node);
    int line = cmark_node_get_start_line(node);
    if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE) {
      problem = "must not contain HTML (line " + std::to_string(line) + "); use Markdown";
      break;
    }
    if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) {
      const char* url = cmark_node_get_url(node);
      if (url && !SafeUrl(url)) {
        problem = "links may only use http, https, mailto or tel (line " + std::to_string(line) + ")";
        break;
      }
    }
  }
  cmark_iter_free(iter);
  if (!problem.empty()) return Fail(Error::Invalid(std::string(field), problem));
  return {};
}

std::string RenderHtml(std::string_view markdown) {
  auto doc = Parse(markdown);
  // Safe mode (no CMARK_OPT_UNSAFE): raw HTML and dangerous URLs are left out.
  char* html = cmark_render_html(doc.get(), kOptions, nullptr);
  std::string out(html);
  free(html);
  return out;
}

std::string PlainText(std::string_view markdown) {
  auto doc = Parse(markdown);
  char* text = cmark_render_plaintext(doc.get(), kOptions, 0);
  std::string out(text);
  free(text);
  return out;
}

}  // namespace fairdesk::knowledge
