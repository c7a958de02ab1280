#include "portal/html.hpp"

#include "portal/i18n.hpp"

namespace fairdesk::portal {

std::string Esc(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Ltr(std::string_view s) { return "<bdi dir=\"ltr\">" + Esc(s) + "</bdi>"; }

std::string FormatDate(std::string_view iso) {
  if (iso.size() != 10) return std::string(iso);
  return std::string(iso.substr(8, 2)) + "." + std::string(iso.substr(5, 2)) + "." + std::string(iso.substr(0, 4));
}

std::string RenderPage(const PageFrame& f, std::string_view main_html) {
  const auto& c = Catalog::Get();
  auto t = [&](std::string_view key) { return c.T(f.lang, key); };
  std::string lang_attr = f.html_lang.empty() ? f.lang : f.html_lang;
  std::string dir = IsRtl(lang_attr) ? "rtl" : "ltr";
  std::string h;
  h.reserve(main_html.size() + 6000);
  h += "<!doctype html>\n<html lang=\"" + Esc(lang_attr) + "\" dir=\"" + dir + "\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>" + Esc(f.title) + " – " + Esc(t("site.name")) + "</title>\n";
  h += "<link rel=\"stylesheet\" href=\"/portal/assets/portal.css\">\n";
  if (f.html_lang.empty()) {
    for (auto l : kLanguages) {
      h += "<link rel=\"alternate\" hreflang=\"" + std::string(l) + "\" href=\"/" + std::string(l) + Esc(f.path) + "\">\n";
    }
    h += "<link rel=\"alternate\" hreflang=\"x-default\" href=\"/\">\n";
  }
  if (f.script) h += "<script src=\"/portal/assets/portal.js\" defer></script>\n";
  h += "</head>\n<body>\n<a class=\"skip\" href=\"#main\">" + Esc(t("site.skip")) + "</a>\n";
  h += "<header class=\"top\">\n<div class=\"wrap\">\n<p class=\"brand\"><a href=\"/" + f.lang + "/\">" + Esc(t("site.name")) + "</a></p>\n";
  // Language navigation: each language named in itself, with lang and hreflang (no flags).
  h += "<nav class=\"langs\" aria-label=\"" + Esc(t("site.languages")) + "\"><ul>";
  for (auto l : kLanguages) {
    std::string ls(l);
    bool current = ls == f.lang && f.html_lang.empty();
    std::string target = f.html_lang.empty() ? f.path : "/";
    h += "<li><a href=\"/" + ls + Esc(target) + "\" lang=\"" + ls + "\" hreflang=\"" + ls + "\" dir=\"" +
         (IsRtl(ls) ? "rtl" : "ltr") + "\"" + (current ? " aria-current=\"true\"" : "") + ">" + Esc(Autonym(ls)) +
         "</a></li>";
  }
  h += "</ul></nav>\n";
  h += "<nav class=\"main-nav\" aria-label=\"" + Esc(t("site.mainNav")) + "\"><ul>";
  const std::pair<std::string_view, std::string_view> items[] = {
      {"home", ""}, {"rights", "/rights"}, {"centres", "/centres"}, {"contact", "/contact"}, {"events", "/events"}, {"employer", "/employer-sheet"}};
  for (const auto& [key, sub] : items) {
    bool current = f.active == key;
    h += "<li><a href=\"/" + f.lang + std::string(sub) + (sub.empty() ? "/" : "") + "\"" +
         (current ? " aria-current=\"page\"" : "") + ">" + Esc(t("nav." + std::string(key))) + "</a></li>";
  }
  h += "<li><a href=\"/de/leichte-sprache/\" lang=\"de\"" + std::string(f.active == "plain" ? " aria-current=\"page\"" : "") +
       ">" + Esc(c.T("de", "nav.plain")) + "</a></li>";
  h += "</ul></nav>\n</div>\n</header>\n";
  h += "<main id=\"main\" tabindex=\"-1\">\n<div class=\"wrap\">\n";
  h += main_html;
  h += "\n</div>\n</main>\n<footer class=\"foot\">\n<div class=\"wrap\">\n";
  h += "<nav aria-label=\"" + Esc(t("site.legalNav")) + "\"><ul>";
  for (std::string_view key : {"imprint", "privacy", "accessibility"}) {
    h += "<li><a href=\"/" + f.lang + "/" + std::string(key) + "\">" + Esc(t("nav." + std::string(key))) + "</a></li>";
  }
  h += "<li><a href=\"/login\">" + Esc(t("site.staff")) + "</a></li></ul></nav>\n";
  // Every translation is machine-made and unreviewed (docs/DECISIONS.md): the pages say so.
  if (f.lang != "de") {
    h += "<p class=\"small\" id=\"machine-translation\">" + Esc(t("site.machineTranslation")) + " <a href=\"/de" +
         Esc(f.path) + "\" hreflang=\"de\">" + Esc(t("site.germanVersion")) + "</a></p>\n";
  }
  h += "<p class=\"small\">" + Esc(t("site.demo")) + "</p>\n";
  h += "</div>\n</footer>\n</body>\n</html>\n";
  return h;
}

}  // namespace fairdesk::portal
