#include "portal/routes.hpp"

#include <algorithm>
#include <ctime>
#include <map>

#include "directory/postcodes.hpp"
#include "directory/routes.hpp"
#include "knowledge/figures.hpp"
#include "knowledge/service.hpp"
#include "platform/core/body.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/date.hpp"
#include "platform/pdf/pdf.hpp"
#include "portal/html.hpp"
#include "portal/i18n.hpp"
#include "portal/sign_videos.hpp"
#include "events/berlin_time.hpp"

namespace fairdesk::embedded {
extern const std::string_view kPortalCss, kPortalJs;
extern const std::string_view kPortalFont_arabic_400, kPortalFont_arabic_700, kPortalFont_ethiopic_400;
}

namespace fairdesk::portal {
namespace json = boost::json;
namespace {

const Catalog& C() { return Catalog::Get(); }

// The web fonts (WOFF2 subsets made at build time, see CMakeLists.txt). Each is served under a
// name that carries a hash of its bytes, so it can be cached for a year: a new font gets a new name.
struct WebFont {
  std::string_view key;    // as written in portal.css: url(@@font:KEY@@)
  std::string_view bytes;
  std::string path;
};

const std::vector<WebFont>& WebFonts() {
  static const std::vector<WebFont> fonts = [] {
    std::vector<WebFont> v{{"arabic-400", embedded::kPortalFont_arabic_400, {}},
                           {"arabic-700", embedded::kPortalFont_arabic_700, {}},
                           {"ethiopic-400", embedded::kPortalFont_ethiopic_400, {}}};
    for (auto& f : v) {
      std::uint64_t h = 1469598103934665603ull;  // FNV-1a, 64 bit
      for (unsigned char c : f.bytes) h = (h ^ c) * 1099511628211ull;
      static constexpr char kHex[] = "0123456789abcdef";
      std::string hex;
      for (int i = 0; i < 12; ++i) hex += kHex[(h >> (i * 4)) & 15];
      f.path = "/portal/assets/fonts/" + std::string(f.key) + "-" + hex + ".woff2";
    }
    return v;
  }();
  return fonts;
}

// portal.css with the fonts' hashed paths filled in.
const std::string& PortalCss() {
  static const std::string css = [] {
    std::string s(embedded::kPortalCss);
    for (const auto& f : WebFonts()) {
      std::string token = "@@font:" + std::string(f.key) + "@@";
      for (auto pos = s.find(token); pos != std::string::npos; pos = s.find(token, pos)) s.replace(pos, token.size(), f.path);
    }
    return s;
  }();
  return css;
}

http::Response Html(std::string body, int status = 200, bool cacheable = false) {
  http::Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(body);
  // Pages without personal data may be cached briefly; forms with a challenge never.
  if (cacheable) r.headers.emplace_back("Cache-Control", "public, max-age=300");
  r.headers.emplace_back("Vary", "Accept-Language");
  return r;
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string UrlDecode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') out += ' ';
    else if (s[i] == '%' && i + 2 < s.size() + 0 && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
             std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> ParseForm(std::string_view body) {
  std::map<std::string, std::string> out;
  std::size_t pos = 0;
  while (pos <= body.size()) {
    auto amp = body.find('&', pos);
    std::string_view pair = body.substr(pos, amp == std::string_view::npos ? std::string_view::npos : amp - pos);
    if (!pair.empty()) {
      auto eq = pair.find('=');
      std::string key = UrlDecode(pair.substr(0, eq));
      std::string value = eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1));
      if (key.size() <= 40 && !out.contains(key)) out.emplace(std::move(key), std::move(value));
    }
    if (amp == std::string_view::npos) break;
    pos = amp + 1;
  }
  return out;
}

std::string Q(const http::Request& req, std::string_view name) { return req.Query(name).value_or(""); }

// ---- shared pieces ----

struct FieldErrors {
  std::vector<std::pair<std::string, std::string>> items;  // field id, message
  bool empty() const { return items.empty(); }
  std::string For(std::string_view id) const {
    for (const auto& [f, m] : items) {
      if (f == id) return m;
    }
    return "";
  }
};

std::string ErrorSummary(const std::string& lang, const FieldErrors& e) {
  if (e.empty()) return "";
  std::string h = "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" id=\"errors\"><h2>" +
                  Esc(C().T(lang, "errors.title")) + "</h2><ul>";
  for (const auto& [f, m] : e.items) h += "<li><a href=\"#" + Esc(f) + "\">" + Esc(m) + "</a></li>";
  return h + "</ul></div>";
}

/// A labelled text input with hint and error, linked by aria-describedby.
std::string TextField(const std::string& id, const std::string& label, const std::string& value,
                      const std::string& hint, const std::string& error, const std::string& extra = "",
                      bool multiline = false) {
  std::string described;
  std::string h = "<div class=\"field" + std::string(error.empty() ? "" : " invalid") + "\"><label for=\"" + id + "\">" +
                  Esc(label) + "</label>";
  if (!hint.empty()) {
    h += "<p class=\"hint\" id=\"" + id + "-hint\">" + Esc(hint) + "</p>";
    described += id + "-hint";
  }
  if (!error.empty()) {
    h += "<p class=\"error\" id=\"" + id + "-error\">" + Esc(error) + "</p>";
    described += (described.empty() ? "" : " ") + id + "-error";
  }
  std::string attrs = " id=\"" + id + "\" name=\"" + id + "\"" +
                      (described.empty() ? "" : " aria-describedby=\"" + described + "\"") +
                      (error.empty() ? "" : " aria-invalid=\"true\"") + extra;
  if (multiline) h += "<textarea" + attrs + " rows=\"6\">" + Esc(value) + "</textarea>";
  else h += "<input type=\"text\"" + attrs + " value=\"" + Esc(value) + "\">";
  return h + "</div>";
}

std::string LanguageOptions(const std::string& selected, bool any, const std::string& any_label,
                            const std::vector<std::string>& codes) {
  std::string h;
  if (any) h += "<option value=\"\">" + Esc(any_label) + "</option>";
  for (const auto& code : codes) {
    h += "<option value=\"" + code + "\" lang=\"" + code + "\"" + (code == selected ? " selected" : "") + ">" +
         Esc(Autonym(code)) + "</option>";
  }
  return h;
}

std::string Channels(const std::string& lang, const std::vector<std::string>& channels) {
  std::string s;
  for (const auto& c : channels) s += (s.empty() ? "" : ", ") + C().T(lang, "channels." + c);
  return s;
}

std::string Languages(const std::vector<std::string>& codes) {
  std::string s;
  for (const auto& c : codes) s += (s.empty() ? "" : ", ") + std::string("<span lang=\"") + Esc(c) + "\">" + Esc(Autonym(c)) + "</span>";
  return s;
}

/// Opening days as the directory holds them, in German abbreviations ("Mo-Do", "Mo, Di, Do",
/// "Sa"), in the visitor's language ("الاثنين–الخميس"); days written any other way stay as written.
std::string LocalDays(const std::string& lang, const std::string& days) {
  static constexpr std::string_view kDays[] = {"Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"};
  static constexpr std::string_view kKeys[] = {"days.mon", "days.tue", "days.wed", "days.thu", "days.fri", "days.sat", "days.sun"};
  static constexpr std::string_view kDash = "\u2013";
  const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  std::string out;
  for (std::size_t i = 0; i < days.size();) {
    if (letter(days[i])) {
      std::size_t end = i;
      while (end < days.size() && letter(days[end])) ++end;
      auto day = std::find(std::begin(kDays), std::end(kDays), std::string_view(days).substr(i, end - i));
      if (day == std::end(kDays)) return days;
      out += C().T(lang, kKeys[day - std::begin(kDays)]);
      i = end;
    } else if (days[i] == '-' || days.compare(i, kDash.size(), kDash) == 0) {
      out += kDash;
      i += days[i] == '-' ? 1 : kDash.size();
    } else if (days[i] == ',') {
      out += IsRtl(lang) ? "\u060C " : ", ";
      for (++i; i < days.size() && days[i] == ' ';) ++i;
    } else if (days[i] == ' ') {
      out += days[i++];
    } else {
      return days;
    }
  }
  return out;
}

/// Opening hours: the days in the page's direction and language, the times left to right.
std::string Hours(const std::string& lang, const std::vector<directory::OpeningHours>& hours) {
  std::string s;
  for (const auto& h : hours) {
    s += (s.empty() ? "" : "<br>") + std::string("<bdi>") + Esc(LocalDays(lang, h.days)) + "</bdi> <bdi dir=\"ltr\">" + Esc(h.from) +
         "–" + Esc(h.to) + "</bdi>";
  }
  return s;
}

std::string LocationCard(const std::string& lang, const directory::FoundLocation& f, int heading_level, bool contact_link) {
  const auto& l = f.location;
  auto t = [&](std::string_view k) { return Esc(C().T(lang, k)); };
  std::string hl = std::to_string(heading_level);
  std::string h = "<article class=\"card\"><h" + hl + ">" + Esc(f.centre.name) + " – " + Esc(l.name) + "</h" + hl + ">";
  if (f.state_centre) h += "<p class=\"badge\">" + t("finder.stateCentre") + "</p>";
  if (f.distance_km) {
    h += "<p>" + Esc(C().T(lang, "finder.distance", {{"km", std::to_string(static_cast<int>(*f.distance_km + 0.5))}})) + "</p>";
  }
  h += "<dl>";
  // A German address reads left to right on right-to-left pages too ("80331 München", not "München 80331").
  h += "<dt>" + t("finder.address") + "</dt><dd>" + Ltr(l.street) + "<br>" + Ltr(l.postcode + " " + l.city) + "</dd>";
  if (l.phone) h += "<dt>" + t("finder.phone") + "</dt><dd><a href=\"tel:" + Esc(l.phone->c_str()) + "\">" + Ltr(*l.phone) + "</a></dd>";
  if (l.email) h += "<dt>" + t("finder.email") + "</dt><dd><a href=\"mailto:" + Esc(*l.email) + "\">" + Ltr(*l.email) + "</a></dd>";
  if (!l.opening_hours.empty()) h += "<dt>" + t("finder.hours") + "</dt><dd>" + Hours(lang, l.opening_hours) + "</dd>";
  h += "<dt>" + t("finder.channels") + "</dt><dd>" + Esc(Channels(lang, l.channels)) + "</dd>";
  h += "<dt>" + t("finder.languages") + "</dt><dd>" + Languages(l.languages) + "</dd>";
  h += "</dl>";
  if (contact_link) {
    h += "<p><a href=\"/" + lang + "/contact?centre=" + UrlEncode(f.centre.id) + "\">" + t("finder.contactThis") + "</a></p>";
  }
  return h + "</article>";
}

std::string NotFoundPage(const std::string& lang) {
  std::string main = "<h1>" + Esc(C().T(lang, "errors.notFoundTitle")) + "</h1><p>" + Esc(C().T(lang, "errors.notFound")) +
                     "</p><p><a href=\"/" + lang + "/\">" + Esc(C().T(lang, "errors.back")) + "</a></p>";
  return RenderPage({lang, "", C().T(lang, "errors.notFoundTitle"), ""}, main);
}

/// One link a portal language to `path` below it ("/" for the home page), each named in itself.
std::string LanguageLinks(const std::string& path) {
  std::string h;
  for (auto l : kLanguages) {
    std::string ls(l);
    h += "<li><a href=\"/" + ls + Esc(path) + "\" lang=\"" + ls + "\" hreflang=\"" + ls + "\" dir=\"" + (IsRtl(ls) ? "rtl" : "ltr") +
         "\">" + Esc(Autonym(ls)) + "</a></li>";
  }
  return h;
}

/// An address with a language the portal does not offer ("/xx/centres"): the same page in each
/// portal language. Shown in `lang` (the visitor's likely language), in German also in English.
std::string UnknownLanguagePage(const std::string& lang, const std::string& path) {
  auto t = [&](const std::string& l, std::string_view k) { return Esc(C().T(l, k)); };
  std::string h = "<h1>" + t(lang, "errors.languageUnknownTitle");
  if (lang == "de") h += " / <span lang=\"en\">" + t("en", "errors.languageUnknownTitle") + "</span>";
  h += "</h1><p>" + t(lang, "errors.languageUnknown") + "</p>";
  if (lang == "de") h += "<p lang=\"en\">" + t("en", "errors.languageUnknown") + "</p>";
  h += "<ul class=\"entry-langs\">" + LanguageLinks(path.empty() ? "/" : path) + "</ul>";
  return RenderPage({lang, path, C().T(lang, "errors.languageUnknownTitle"), ""}, h);
}

// The first segments below /{lang} that the portal serves.
constexpr std::string_view kPortalPages[] = {"rights",  "centres", "contact",       "employer-sheet", "events",
                                             "event-registration", "leichte-sprache", "imprint", "privacy", "accessibility"};

// The shape of a language tag: 2 or 3 letters, optionally a script (4 letters) and a region
// (2 letters or 3 digits): "xx", "en-GB", "sr-Latn-RS", "es-419" — not "no-such-page".
bool LooksLikeLanguageTag(std::string_view s) {
  auto all = [](std::string_view v, int (*is)(int)) {
    return std::all_of(v.begin(), v.end(), [is](unsigned char c) { return is(c) != 0; });
  };
  std::vector<std::string_view> parts;
  for (std::size_t pos = 0;;) {
    auto dash = s.find('-', pos);
    parts.push_back(s.substr(pos, dash == std::string_view::npos ? std::string_view::npos : dash - pos));
    if (dash == std::string_view::npos || parts.size() > 3) break;
    pos = dash + 1;
  }
  if (parts.size() > 3 || parts[0].size() < 2 || parts[0].size() > 3 || !all(parts[0], std::isalpha)) return false;
  std::size_t i = 1;
  if (i < parts.size() && parts[i].size() == 4 && all(parts[i], std::isalpha)) ++i;  // script
  if (i < parts.size() && ((parts[i].size() == 2 && all(parts[i], std::isalpha)) || (parts[i].size() == 3 && all(parts[i], std::isdigit)))) {
    ++i;  // region
  }
  return i == parts.size();
}

/// Asked before the staff web app's client-side fallback (index.html): a GET below a portal
/// language that no page matched is the portal's 404 in that language; a portal-shaped path with
/// a language the portal does not offer ("/xx", "/zz/", "/xx/centres", "/en-GB/contact") offers
/// the same page in each portal language. Every other path (the staff app's "/cases",
/// "/admin/users", ... — none of whose first segments is 2 or 3 letters — and "/api/…") passes on.
std::optional<http::Response> PortalNotFound(const http::Request& req) {
  auto segs = http::SplitPath(req.path);
  if (!segs || segs->empty()) return std::nullopt;
  std::string first((*segs)[0]);
  if (IsPortalLanguage(first)) return Html(NotFoundPage(first), 404);
  if (first == "api" || !LooksLikeLanguageTag(first)) return std::nullopt;
  std::string path;
  if (segs->size() > 1) {
    if (std::find(std::begin(kPortalPages), std::end(kPortalPages), (*segs)[1]) == std::end(kPortalPages)) return std::nullopt;
    for (std::size_t i = 1; i < segs->size() && path.size() < 200; ++i) path += "/" + std::string((*segs)[i]);
  }
  std::string lang = SuggestLanguage(first);
  if (lang.empty()) lang = SuggestLanguage(req.Header("accept-language").value_or(""));
  if (lang.empty()) lang = "de";
  return Html(UnknownLanguagePage(lang, path), 404);
}

/// "?lang=" on a page below a portal language, whose language is the path's: another portal
/// language is that language's same page (303, the other parameters kept); a code the portal does
/// not offer ("?lang=xx") gets the page of "/xx/centres": not found, the page in each language.
std::optional<http::Response> LangQuery(const std::string& lang, const http::Request& req) {
  auto asked = req.Query("lang");
  if (!asked || *asked == lang) return std::nullopt;
  std::string rest = req.path.substr(std::min(req.path.size(), 1 + lang.size())).substr(0, 200);
  if (IsPortalLanguage(*asked)) {
    std::string query;
    for (const auto& [k, v] : req.query) {
      if (k != "lang") query += (query.empty() ? "?" : "&") + UrlEncode(k) + "=" + UrlEncode(v);
    }
    http::Response r{303, "text/plain; charset=utf-8", {}, ""};
    r.headers.emplace_back("Location", "/" + *asked + (rest.empty() ? "/" : rest) + query);
    return r;
  }
  return Html(UnknownLanguagePage(lang, rest), 404);
}

// ---- pages ----

// The page's sign-language videos (none when the database cannot be read: the slot's notice).
std::vector<SignVideo> VideosOf(Service& service, const std::string& page) {
  auto videos = service.sign_videos().Shown(page);
  return videos ? std::move(*videos) : std::vector<SignVideo>{};
}

std::string HomePage(const std::string& lang, const std::vector<SignVideo>& videos) {
  auto t = [&](std::string_view k) { return Esc(C().T(lang, k)); };
  std::string h = "<h1>" + t("home.title") + "</h1><p class=\"lead\">" + t("site.tagline") + "</p><p>" + t("home.intro") + "</p>";
  h += "<h2>" + t("home.whatTitle") + "</h2><ul class=\"tiles\">";
  h += "<li><a href=\"/" + lang + "/rights\">" + t("nav.rights") + "</a><p>" + t("home.what1") + "</p></li>";
  h += "<li><a href=\"/" + lang + "/centres\">" + t("nav.centres") + "</a><p>" + t("home.what2") + "</p></li>";
  h += "<li><a href=\"/" + lang + "/contact\">" + t("nav.contact") + "</a><p>" + t("home.what3") + "</p></li>";
  h += "<li><a href=\"/" + lang + "/employer-sheet\">" + t("nav.employer") + "</a><p>" + t("home.what4") + "</p></li>";
  h += "</ul>";
  h += "<p>" + t("home.eu") + " <a href=\"https://www.faire-mobilitaet.de/\" rel=\"external\">" + t("home.euLink") + "</a></p>";
  h += SignVideoSection(lang, videos, 2);
  h += "<p><a href=\"/de/leichte-sprache/\" lang=\"de\">" + Esc(C().T("de", "home.plainLink")) + "</a></p>";
  return RenderPage({lang, "/", C().T(lang, "home.title"), "home"}, h);
}

std::string PlainPage(const std::vector<SignVideo>& videos) {
  std::string h = "<div lang=\"de\"><h1>" + Esc(C().T("de", "plain.title")) + "</h1>";
  for (int i = 1; i <= 9; ++i) h += "<p class=\"plain\">" + Esc(C().T("de", "plain.p" + std::to_string(i))) + "</p>";
  h += SignVideoSection("de", videos, 2) + "</div>";
  return RenderPage({"de", "/leichte-sprache/", C().T("de", "plain.title"), "plain", false, "de"}, h);
}

std::string EntryPage(const std::string& suggested) {
  // Shown in German and English (and the suggested language's own words for the heading).
  std::string h = "<h1>" + Esc(C().T("de", "entry.heading")) + " / <span lang=\"en\">" + Esc(C().T("en", "entry.heading")) + "</span></h1>";
  if (!suggested.empty()) {
    h += "<p class=\"suggest\">" + Esc(C().T("de", "entry.suggested")) + " <a class=\"big\" href=\"/" + suggested + "/\" lang=\"" +
         suggested + "\" hreflang=\"" + suggested + "\" dir=\"" + (IsRtl(suggested) ? "rtl" : "ltr") + "\">" +
         Esc(Autonym(suggested)) + "</a></p>";
  }
  h += "<h2>" + Esc(C().T("de", "entry.all")) + "</h2><ul class=\"entry-langs\">" + LanguageLinks("/");
  h += "<li><a href=\"/de/leichte-sprache/\" lang=\"de\">" + Esc(C().T("de", "nav.plain")) + "</a></li></ul>";
  return RenderPage({"de", "/", C().T("de", "entry.title"), ""}, h);
}

std::string FinderPage(const std::string& lang, const http::Request& req, directory::Service& directory, int& status) {
  auto t = [&](std::string_view k) { return Esc(C().T(lang, k)); };
  FieldErrors errors;
  std::string postcode = Q(req, "postcode"), language = Q(req, "language");
  bool abroad = Q(req, "abroad") == "1";
  bool searched = req.query.count("postcode") + req.query.count("language") + req.query.count("abroad") > 0;
  std::optional<directory::FinderQuery> query;
  if (searched) {
    http::Request clean = req;
    clean.query.clear();
    for (const auto& [k, v] : req.query) {
      if (k == "postcode" || k == "language" || k == "abroad") clean.query.emplace(k, v);
    }
    auto q = directory::ReadFinderQuery(clean);
    if (!q) {
      for (const auto& fe : q.error().errors) {
        if (fe.field == "postcode") errors.items.push_back({"postcode", C().T(lang, "errors.postcode")});
        if (fe.field == "language") errors.items.push_back({"language", C().T(lang, "errors.language")});
      }
      if (errors.empty()) errors.items.push_back({"postcode", C().T(lang, "errors.postcode")});
      status = 422;
    } else {
      query = *q;
    }
  }
  std::string h = ErrorSummary(lang, errors);
  h += "<h1>" + t("finder.title") + "</h1><p>" + t("finder.intro") + "</p>";
  h += "<form method=\"get\" action=\"/" + lang + "/centres\" class=\"form\">";
  h += TextField("postcode", C().T(lang, "finder.postcode"), postcode.substr(0, 100), C().T(lang, "finder.postcodeHint"),
                 errors.For("postcode"), " autocomplete=\"postal-code\" maxlength=\"100\"");
  std::string lang_error = errors.For("language");
  h += "<div class=\"field" + std::string(lang_error.empty() ? "" : " invalid") + "\"><label for=\"language\">" + t("finder.language") + "</label>";
  if (!lang_error.empty()) h += "<p class=\"error\" id=\"language-error\">" + Esc(lang_error) + "</p>";
  h += "<select id=\"language\" name=\"language\"" + std::string(lang_error.empty() ? "" : " aria-describedby=\"language-error\" aria-invalid=\"true\"") + ">" +
       LanguageOptions(language, true, C().T(lang, "finder.anyLanguage"), KnownLanguageCodes()) + "</select></div>";
  h += "<div class=\"check\"><input type=\"checkbox\" id=\"abroad\" name=\"abroad\" value=\"1\"" + std::string(abroad ? " checked" : "") +
       "><label for=\"abroad\">" + t("finder.abroad") + "</label></div>";
  h += "<button type=\"submit\" class=\"button\">" + t("finder.submit") + "</button></form>";
  h += "<p>" + t("home.eu") + " <a href=\"https://www.faire-mobilitaet.de/\" rel=\"external\">" + t("home.euLink") + "</a></p>";
  if (query) {
    auto found = directory.FindLocations(*query);
    h += "<section aria-labelledby=\"results\" class=\"results\"><h2 id=\"results\">";
    if (query->postcode) {
      h += Esc(C().T(lang, "finder.resultsFor", {{"place", *query->postcode + " " + directory::PostcodePlace(*query->postcode)}}));
    } else {
      h += t("finder.results");
    }
    h += "</h2>";
    if (query->abroad) h += "<p>" + t("finder.abroadNote") + "</p>";
    if (!found || found->empty()) {
      h += "<p>" + t("finder.none") + "</p>";
    } else {
      h += "<ol class=\"cards\">";
      for (const auto& f : *found) h += "<li>" + LocationCard(lang, f, 3, true) + "</li>";
      h += "</ol>";
      // The postcode data's licences (ODbL, CC BY) ask for attribution where distances are shown.
      h += "<p class=\"small\" id=\"geo-data\">" + t("finder.geoData") + "</p>";
    }
    h += "</section>";
  }
  return RenderPage({lang, "/centres", C().T(lang, "finder.title"), "centres"}, h);
}

std::string ContactPage(const std::string& lang, const Service& service, const std::map<std::string, std::string>& values,
                        const FieldErrors& errors, const std::string& form_error) {
  auto t = [&](std::string_view k) { return Esc(C().T(lang, k)); };
  auto v = [&](const std::string& k) {
    auto it = values.find(k);
    return it == values.end() ? std::string() : it->second;
  };
  std::string h;
  if (!form_error.empty()) {
    h += "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" id=\"errors\"><h2>" + t("errors.title") + "</h2><p>" +
         Esc(C().T(lang, "errors." + form_error)) + "</p></div>";
  }
  h += ErrorSummary(lang, errors);
  h += "<h1>" + t("contact.title") + "</h1><p>" + t("contact.intro") + "</p>";
  Challenge ch = service.NewChallenge();
  h += "<form method=\"post\" action=\"/" + lang + "/contact\" class=\"form\" id=\"contact-form\" data-pow-max=\"" +
       std::to_string(ch.max_number) + "\">";
  h += TextField("name", C().T(lang, "contact.name"), v("name"), "", errors.For("name"), " autocomplete=\"nickname\" maxlength=\"100\" required");
  h += TextField("reach", C().T(lang, "contact.reach"), v("reach"), C().T(lang, "contact.reachHint"), errors.For("reach"),
                 " maxlength=\"200\" required dir=\"auto\"");
  h += TextField("postcode", C().T(lang, "contact.postcode"), v("postcode"), C().T(lang, "contact.postcodeHint"),
                 errors.For("postcode"), " autocomplete=\"postal-code\" maxlength=\"100\"");
  std::string selected = v("language").empty() ? lang : v("language");
  std::string le = errors.For("language");
  h += "<div class=\"field" + std::string(le.empty() ? "" : " invalid") + "\"><label for=\"language\">" + t("contact.language") + "</label>";
  if (!le.empty()) h += "<p class=\"error\" id=\"language-error\">" + Esc(le) + "</p>";
  h += "<select id=\"language\" name=\"language\"" + std::string(le.empty() ? "" : " aria-describedby=\"language-error\" aria-invalid=\"true\"") + ">" +
       LanguageOptions(selected, false, "", KnownLanguageCodes()) + "</select></div>";
  std::string te = errors.For("topic");
  h += "<fieldset class=\"field" + std::string(te.empty() ? "" : " invalid") + "\" id=\"topic\"" +
       (te.empty() ? "" : " aria-describedby=\"topic-error\"") + "><legend>" + t("contact.topic") + "</legend>";
  if (!te.empty()) h += "<p class=\"error\" id=\"topic-error\">" + Esc(te) + "</p>";
  for (auto topic : kTopics) {
    std::string id = "topic-" + std::string(topic);
    h += "<div class=\"radio\"><input type=\"radio\" name=\"topic\" id=\"" + id + "\" value=\"" + std::string(topic) + "\"" +
         (v("topic") == topic ? " checked" : "") + "><label for=\"" + id + "\">" + t("topics." + std::string(topic)) + "</label></div>";
  }
  h += "</fieldset>";
  h += TextField("message", C().T(lang, "contact.message"), v("message"), C().T(lang, "contact.messageHint"),
                 errors.For("message"), " maxlength=\"2000\" required dir=\"auto\"", true);
  // The honeypot: off-screen, out of the tab order and hidden from assistive technology, so that
  // people never fill it but naive bots do.
  h += "<div class=\"hp\" aria-hidden=\"true\"><label for=\"website\">" + t("contact.honeypot") +
       "</label><input type=\"text\" id=\"website\" name=\"website\" tabindex=\"-1\" autocomplete=\"off\" value=\"\"></div>";
  std::string ce = errors.For("consent");
  h += "<div class=\"check" + std::string(ce.empty() ? "" : " invalid") + "\">";
  if (!ce.empty()) h += "<p class=\"error\" id=\"consent-error\">" + Esc(ce) + "</p>";
  h += "<input type=\"checkbox\" id=\"consent\" name=\"consent\" value=\"yes\"" + std::string(v("consent") == "yes" ? " checked" : "") +
       (ce.empty() ? "" : " aria-describedby=\"consent-error\" aria-invalid=\"true\"") + " required><label for=\"consent\">" +
       t("contact.consent") + "</label></div>";
  h += "<p><a href=\"/" + lang + "/privacy\">" + t("contact.privacyLink") + "</a></p>";
  h += "<input type=\"hidden\" name=\"centre\" value=\"" + Esc(v("centre").substr(0, 64)) + "\">";
  h += "<input type=\"hidden\" name=\"pow_salt\" value=\"" + Esc(ch.salt) + "\">";
  h += "<input type=\"hidden\" name=\"pow_challenge\" value=\"" + ch.challenge + "\">";
  h += "<input type=\"hidden\" name=\"pow_signature\" value=\"" + ch.signature + "\">";
  h += "<input type=\"hidden\" name=\"pow_number\" value=\"\">";
  h += "<p class=\"hint\">" + t("contact.powNote") + "</p>";
  h += "<button type=\"submit\" class=\"button\">" + t("contact.submit") + "</button></form>";
  return RenderPage({lang, "/contact", C().T(lang, "contact.title"), "contact", true}, h);
}

std::string SentPage(const std::string& lang, const std::string& reference) {
  auto t = [&](std::string_view k) { return Esc(C().T(lang, k)); };
  std::string h = "<h1>" + t("contact.sentTitle") + "</h1><p>" + t("contact.sentText") + "</p>";
  h += "<p>" + t("contact.reference") + ": <strong class=\"ref\">" + Ltr(reference) + "</strong></p><p>" + t("contact.referenceHint") + "</p>";
  h += "<p><a href=\"/" + lang + "/\">" + t("errors.back") + "</a></p>";
  return RenderPage({lang, "/contact", C().T(lang, "contact.sentTitle"), "contact"}, h);
}

std::string TooManyPage(const std::string& lang, std::int64_t retry_after) {
  std::string minutes = std::to_string((retry_after + 59) / 60);
  std::string h = "<h1>" + Esc(C().T(lang, "errors.tooManyTitle")) + "</h1><p role=\"alert\">" +
                  Esc(C().T(lang, "errors.tooMany", {{"minutes", minutes}})) + "</p><p><a href=\"/" + lang + "/centres\">" +
                  Esc(C().T(lang, "nav.centres")) + "</a></p>";
  return RenderPage({lang, "/contact", C().T(lang, "errors.tooManyTitle"), "contact"}, h);
}

/// A form's body over the route's limit (413): only a crafted request gets here, since every
/// field has its maxlength, but the answer is still a page in the visitor's language.
http::Response FormTooLarge(const std::string& lang, const std::string& back) {
  std::string h = "<h1>" + Esc(C().T(lang, "errors.title")) + "</h1><p role=\"alert\">" + Esc(C().T(lang, "errors.tooLong")) +
                  "</p><p><a href=\"/" + lang + back + "\">" + Esc(C().T(lang, "errors.backToForm")) + "</a></p>";
  return Html(RenderPage({lang, back, C().T(lang, "errors.title"), ""}, h), 413);
}

/// Today's legal figures (minimum wage, mini-job limit) from the labour-law tables, never typed
/// text: on the rights overview and on every rights item. Written as the page's language writes
/// numbers and dates, like the figures inside the items (knowledge/figures.hpp).
std::string FiguresSection(const std::string& lang) {
  Date today = knowledge::FigureDay();
  std::string h = "<section aria-labelledby=\"figures\"><h2 id=\"figures\">" + Esc(C().T(lang, "rights.figuresTitle")) + "</h2><ul>";
  for (auto [name, key] : {std::pair{"minimum_wage", "rights.minimumWage"}, std::pair{"minijob_limit", "rights.minijob"}}) {
    if (auto v = knowledge::FigureOn(name, today)) {
      h += "<li>" + Esc(C().T(lang, key, {{"amount", knowledge::FormatFigureValue(*v, lang)},
                                          {"since", knowledge::FormatLongDate(v->valid_from, lang)}})) + "</li>";
    }
  }
  return h + "</ul><p class=\"small\">" + Esc(C().T(lang, "rights.asOf", {{"date", FormatDate(clock::TodayIso())}})) + "</p></section>";
}

std::string RightsPage(const std::string& lang, knowledge::Service& knowledge) {
  auto t = [&](std::string_view k) { return Esc(C().T(lang, k)); };
  std::string h = "<h1>" + t("rights.title") + "</h1><p class=\"lead\">" + t("rights.intro") + "</p>";
  h += FiguresSection(lang);
  h += "<section aria-labelledby=\"items\"><h2 id=\"items\">" + t("rights.itemsTitle") + "</h2>";
  auto items = knowledge.PublicItems(lang);
  if (!items || items->empty()) {
    h += "<p>" + t("rights.itemsMissing") + "</p>";
  } else {
    h += "<ul class=\"items\">";
    for (const auto& item : *items) {
      bool fallback = std::find(item.notices.begin(), item.notices.end(), "fallback") != item.notices.end();
      h += "<li><a href=\"/" + lang + "/rights/" + Esc(item.id) + "\"" +
           (item.language != lang ? " lang=\"" + Esc(item.language) + "\" dir=\"" + (IsRtl(item.language) ? "rtl" : "ltr") + "\"" : "") +
           ">" + Esc(item.title) + "</a>";
      if (fallback) h += " <span class=\"small\">(" + t("rights.fallbackShort") + ")</span>";
      if (item.valid_as_of) h += "<br><span class=\"small\">" + Esc(C().T(lang, "rights.asOf", {{"date", FormatDate(*item.valid_as_of)}})) + "</span>";
      h += "</li>";
    }
    h += "</ul>";
  }
  h += "</section>";
  h += "<section aria-labelledby=\"events\"><h2 id=\"events\">" + t("rights.eventsTitle") + "</h2><p>" + t("rights.eventsText") +
       " <a href=\"/api/v1/public/events/calendar.ics\" type=\"text/calendar\">" + t("rights.eventsLink") + "</a></p></section>";
  h += "<p>" + t("rights.help") + " <a href=\"/" + lang + "/centres\">" + t("nav.centres") + "</a></p>";
  return RenderPage({lang, "/rights", C().T(lang, "rights.title"), "rights"}, h);
}

std::string RightsItemPage(const std::string& lang, const std::string& id, knowledge::Service& knowledge, int& status) {
  auto view = knowledge.PublicItem(id, lang);
  if (!view) {
    status = 404;
    return NotFoundPage(lang);
  }
  auto t = [&](std::string_view k) { return Esc(C().T(lang, k)); };
  std::string h;
  bool fallback = std::find(view->notices.begin(), view->notices.end(), "fallback") != view->notices.end();
  if (fallback || view->language != lang) h += "<p class=\"notice\">" + t("rights.fallback") + "</p>";
  h += "<article lang=\"" + Esc(view->language) + "\" dir=\"" + (IsRtl(view->language) ? "rtl" : "ltr") + "\"><h1>" +
       Esc(view->title) + "</h1>";
  if (view->valid_as_of) h += "<p class=\"small\">" + Esc(C().T(view->language, "rights.asOf", {{"date", FormatDate(*view->valid_as_of)}})) + "</p>";
  h += view->html;  // rendered by the knowledge module's Markdown renderer (escapes all text)
  h += "</article>";
  h += FiguresSection(lang);
  h += "<p>" + t("rights.help") + " <a href=\"/" + lang + "/centres\">" + t("nav.centres") + "</a></p>";
  h += "<p><a href=\"/" + lang + "/rights\">" + t("nav.rights") + "</a></p>";
  return RenderPage({lang, "/rights/" + id, view->title, "rights"}, h);
}

std::string Paragraphs(std::string_view text) {
  std::string h;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find("\n\n", pos);
    std::string_view para = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    std::string escaped = Esc(para);
    std::string with_breaks;
    for (char c : escaped) {
      if (c == '\n') with_breaks += "<br>";
      else with_breaks += c;
    }
    if (!para.empty()) h += "<p>" + with_breaks + "</p>";
    if (end == std::string_view::npos) break;
    pos = end + 2;
  }
  return h;
}

std::string LegalPageHtml(const std::string& lang, const std::string& page, Service& service) {
  std::string title, body, updated;
  std::string shown_lang = lang;
  std::optional<LegalPage> stored;
  for (const std::string& l : {lang, std::string("de")}) {
    if (auto r = service.Legal(page, l); r && *r) {
      stored = **r;
      shown_lang = l;
      break;
    }
  }
  if (stored) {
    title = stored->title;
    body = stored->body;
    std::time_t tt = static_cast<std::time_t>(stored->updated_at);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&tt));
    updated = buf;
  } else {
    shown_lang = C().Has(lang, "legalDefaults." + page + "Title") ? lang : "de";
    title = C().T(shown_lang, "legalDefaults." + page + "Title");
    body = C().T(shown_lang, "legalDefaults." + page + "Body");
  }
  std::string h;
  if (shown_lang != lang) h += "<p class=\"notice\">" + Esc(C().T(lang, "rights.fallback")) + "</p>";
  h += "<div lang=\"" + shown_lang + "\" dir=\"" + (IsRtl(shown_lang) ? "rtl" : "ltr") + "\"><h1>" + Esc(title) + "</h1>" + Paragraphs(body) + "</div>";
  if (!updated.empty()) h += "<p class=\"small\">" + Esc(C().T(lang, "legal.updated", {{"date", FormatDate(updated)}})) + "</p>";
  // The accessibility statement's own sign-language videos, where an admin added some.
  if (std::find(std::begin(kSignVideoPages), std::end(kSignVideoPages), page) != std::end(kSignVideoPages)) {
    if (auto videos = VideosOf(service, page); !videos.empty()) h += SignVideoSection(lang, videos, 2);
  }
  return RenderPage({lang, "/" + page, title, page}, h);
}

// ---- employer sheet ----

struct SheetInput {
  std::string postcode, worker_language, worker_name, employer_name, start;
  bool receipt = false;
};

struct SheetData {
  SheetInput in;
  std::string place;
  std::optional<directory::FoundLocation> nearest, state_centre;
};

std::string SheetBlockHtml(const std::string& l, const SheetData& d) {
  auto t = [&](std::string_view k, std::initializer_list<std::pair<std::string_view, std::string>> vars = {}) {
    return Esc(C().T(l, k, vars));
  };
  std::string h = "<section class=\"sheet-lang\" lang=\"" + l + "\" dir=\"" + (IsRtl(l) ? "rtl" : "ltr") + "\">";
  h += "<h2>" + t("sheet.sheetHeading") + "</h2>";
  if (l != "de") h += "<p class=\"small\">" + t("sheet.machineTranslation") + "</p>";
  if (!d.in.worker_name.empty()) h += "<p>" + t("sheet.for", {{"name", d.in.worker_name}}) + "</p>";
  if (!d.in.employer_name.empty()) h += "<p>" + t("sheet.from", {{"name", d.in.employer_name}}) + "</p>";
  if (!d.in.start.empty()) h += "<p>" + t("sheet.start", {{"date", FormatDate(d.in.start)}}) + "</p>";
  h += "<p>" + t("sheet.workplace", {{"postcode", d.in.postcode}, {"place", d.place}}) + "</p>";
  h += "<p>" + t("sheet.notice") + "</p>";
  if (d.nearest) h += LocationCard(l, *d.nearest, 3, false);
  if (d.state_centre) {
    h += "<p>" + t("sheet.stateCentre") + "</p>" + LocationCard(l, *d.state_centre, 3, false);
  }
  h += "<p class=\"small\">" + t("sheet.asOf", {{"date", FormatDate(clock::TodayIso())}}) + "</p>";
  return h + "</section>";
}

Result<SheetData> LoadSheet(const SheetInput& in, directory::Service& directory) {
  SheetData d;
  d.in = in;
  d.place = directory::PostcodePlace(in.postcode);
  directory::FinderQuery q;
  q.postcode = in.postcode;
  q.limit = 1;
  auto found = FD_TRY(directory.FindLocations(q));
  for (const auto& f : found) {
    if (!d.nearest) d.nearest = f;
    else if (f.state_centre && f.centre.id != d.nearest->centre.id) d.state_centre = f;
  }
  if (d.nearest && !d.nearest->state_centre && !d.state_centre) {
    // FindLocations appends the state's centre only when it is not among the first results.
  }
  return d;
}

std::string SheetForm(const std::string& lang, const SheetInput& in, const FieldErrors& errors) {
  auto t = [&](std::string_view k) { return Esc(C().T(lang, k)); };
  std::string h = "<form method=\"get\" action=\"/" + lang + "/employer-sheet\" class=\"form no-print\">";
  h += TextField("postcode", C().T(lang, "sheet.postcode"), in.postcode, "", errors.For("postcode"),
                 " autocomplete=\"postal-code\" inputmode=\"numeric\" maxlength=\"100\" required");
  std::string le = errors.For("worker_language");
  h += "<div class=\"field" + std::string(le.empty() ? "" : " invalid") + "\"><label for=\"worker_language\">" + t("sheet.workerLanguage") + "</label>";
  if (!le.empty()) h += "<p class=\"error\" id=\"worker_language-error\">" + Esc(le) + "</p>";
  std::vector<std::string> langs(std::begin(kLanguages), std::end(kLanguages));
  h += "<select id=\"worker_language\" name=\"worker_language\"" +
       std::string(le.empty() ? "" : " aria-describedby=\"worker_language-error\" aria-invalid=\"true\"") + ">" +
       LanguageOptions(in.worker_language.empty() ? lang : in.worker_language, false, "", langs) + "</select></div>";
  h += TextField("worker_name", C().T(lang, "sheet.workerName"), in.worker_name, "", errors.For("worker_name"), " maxlength=\"100\"");
  h += TextField("employer_name", C().T(lang, "sheet.employerName"), in.employer_name, "", errors.For("employer_name"), " maxlength=\"200\"");
  std::string se = errors.For("start");
  h += "<div class=\"field" + std::string(se.empty() ? "" : " invalid") + "\"><label for=\"start\">" + t("sheet.startDate") + "</label>";
  if (!se.empty()) h += "<p class=\"error\" id=\"start-error\">" + Esc(se) + "</p>";
  h += "<input type=\"date\" id=\"start\" name=\"start\" value=\"" + Esc(in.start) + "\"" +
       (se.empty() ? "" : " aria-describedby=\"start-error\" aria-invalid=\"true\"") + "></div>";
  h += "<div class=\"check\"><input type=\"checkbox\" id=\"receipt\" name=\"receipt\" value=\"1\"" + std::string(in.receipt ? " checked" : "") +
       "><label for=\"receipt\">" + t("sheet.receipt") + "</label></div>";
  h += "<button type=\"submit\" class=\"button\">" + t("sheet.create") + "</button></form>";
  return h;
}

// In the PDF what <bdi dir="ltr"> and <bdi> are on the page: Unicode's isolates (LRI or FSI …
// PDI), which Pango's bidi honours and which draw nothing.
std::string PdfLtr(const std::string& s) { return "\u2066" + s + "\u2069"; }
std::string PdfIsolate(const std::string& s) { return "\u2068" + s + "\u2069"; }

Result<std::string> SheetPdf(const SheetData& d) {
  pdf::Document doc({.title = C().T("de", "sheet.sheetHeading"), .author = C().T("de", "site.name"),
                     .subject = "§ 45c AufenthG", .lang = "de", .tagged = true});
  std::vector<std::string> langs{"de"};
  if (d.in.worker_language != "de") langs.push_back(d.in.worker_language);
  for (std::size_t li = 0; li < langs.size(); ++li) {
    const std::string& l = langs[li];
    auto t = [&](std::string_view k, std::initializer_list<std::pair<std::string_view, std::string>> vars = {}) {
      return C().T(l, k, vars);
    };
    // Each language is a section with its language (tagged PDF: /Lang per section).
    doc.BeginSection(l);
    doc.Heading(t("sheet.sheetHeading"));
    if (l != "de") doc.Paragraph(t("sheet.machineTranslation"), {.size = 9, .grey = 0.3});
    if (!d.in.worker_name.empty()) doc.Paragraph(t("sheet.for", {{"name", PdfIsolate(d.in.worker_name)}}));
    if (!d.in.employer_name.empty()) doc.Paragraph(t("sheet.from", {{"name", PdfIsolate(d.in.employer_name)}}));
    if (!d.in.start.empty()) doc.Paragraph(t("sheet.start", {{"date", PdfLtr(FormatDate(d.in.start))}}));
    doc.Paragraph(t("sheet.workplace", {{"postcode", PdfLtr(d.in.postcode)}, {"place", PdfIsolate(d.place)}}));
    doc.Paragraph(t("sheet.notice"));
    auto card = [&](const directory::FoundLocation& f) {
      const auto& loc = f.location;
      std::vector<std::vector<std::string>> rows;
      // As on the page: addresses, numbers and times left to right, each line of hours apart.
      rows.push_back({t("finder.address"), PdfLtr(loc.street + ", " + loc.postcode + " " + loc.city)});
      if (loc.phone) rows.push_back({t("finder.phone"), PdfLtr(*loc.phone)});
      if (loc.email) rows.push_back({t("finder.email"), PdfLtr(*loc.email)});
      std::string hours;
      for (const auto& oh : loc.opening_hours) hours += (hours.empty() ? "" : "\n") + LocalDays(l, oh.days) + " " + PdfLtr(oh.from + "–" + oh.to);
      if (!hours.empty()) rows.push_back({t("finder.hours"), hours});
      rows.push_back({t("finder.channels"), Channels(l, loc.channels)});
      std::string ls;
      for (const auto& c : loc.languages) ls += (ls.empty() ? "" : ", ") + PdfIsolate(Autonym(c));
      rows.push_back({t("finder.languages"), ls});
      // The centre's name (Latin script) at the start side of the worker's language, not the left.
      doc.Paragraph(f.centre.name + " – " + loc.name, {.bold = true, .align = IsRtl(l) ? pdf::Align::kEnd : pdf::Align::kStart});
      doc.Table({}, rows, {0.3, 0.7});
    };
    if (d.nearest) card(*d.nearest);
    if (d.state_centre) {
      doc.Paragraph(t("sheet.stateCentre"));
      card(*d.state_centre);
    }
    doc.Paragraph(t("sheet.asOf", {{"date", PdfLtr(FormatDate(clock::TodayIso()))}}), {.size = 9, .grey = 0.3});
    if (d.in.receipt) {
      doc.Spacer(12);
      doc.Heading(t("sheet.receiptTitle"), 2);
      doc.Paragraph(t("sheet.receiptText"));
      doc.Spacer(24);
      doc.Paragraph(t("sheet.date") + ": ______________________    " + t("sheet.signature") + ": ______________________________");
    }
    doc.EndSection();
    if (li + 1 < langs.size()) doc.PageBreak();
  }
  return doc.Finish();
}

std::string SheetPage(const std::string& lang, const http::Request& req, directory::Service& directory, int& status,
                      std::optional<std::string>& pdf_out) {
  auto t = [&](std::string_view k) { return Esc(C().T(lang, k)); };
  SheetInput in;
  in.postcode = Q(req, "postcode").substr(0, 100);
  in.worker_language = Q(req, "worker_language").substr(0, 10);
  in.worker_name = Q(req, "worker_name");
  in.employer_name = Q(req, "employer_name");
  in.start = Q(req, "start").substr(0, 10);
  in.receipt = Q(req, "receipt") == "1";
  bool submitted = req.query.count("postcode") > 0;
  FieldErrors errors;
  if (submitted) {
    if (in.postcode.size() != 5 || !directory::PostcodeLocation(in.postcode)) {
      if (auto code = directory::PostcodeOfPlace(in.postcode); code && in.postcode.size() != 5) in.postcode = *code;
      else errors.items.push_back({"postcode", C().T(lang, "errors.postcode")});
    }
    if (in.worker_language.empty()) in.worker_language = lang;
    if (!IsPortalLanguage(in.worker_language)) {
      errors.items.push_back({"worker_language", C().T(lang, "errors.language")});
      in.worker_language = "";
    }
    // As the form's maxlength (code points): a longer text is "too long", one that is not UTF-8
    // or has control characters "invalid characters" (and is not shown again).
    auto name = [&](const char* field, std::string& value, long max) {
      long n = value.size() > static_cast<std::size_t>(max) * 4 ? max + 1 : CodePoints(value, false);
      if (n < 0) value.clear();
      if (n < 0 || n > max) errors.items.push_back({field, C().T(lang, n < 0 ? "errors.binary" : "errors.tooLong")});
      if (n > max && value.size() > static_cast<std::size_t>(max) * 4) {
        std::size_t cut = static_cast<std::size_t>(max) * 4;  // at a character's first byte
        while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
        value.resize(cut);
      }
    };
    name("worker_name", in.worker_name, 100);
    name("employer_name", in.employer_name, 200);
    if (!in.start.empty() && !Date::Parse(in.start)) {
      errors.items.push_back({"start", C().T(lang, "errors.date")});
      if (CodePoints(in.start, false) < 0) in.start.clear();
    }
    if (!errors.empty()) status = 422;
  }
  std::string h = ErrorSummary(lang, errors);
  h += "<h1>" + t("sheet.title") + "</h1><div class=\"no-print\"><p>" + t("sheet.intro") + "</p>";
  h += "<h2>" + t("sheet.legalTitle") + "</h2><p>" + t("sheet.legal") +
       " <a href=\"https://www.gesetze-im-internet.de/aufenthg_2004/__45c.html\" rel=\"external\">" + t("sheet.lawLink") + "</a></p></div>";
  h += SheetForm(lang, in, errors);
  if (submitted && errors.empty()) {
    auto data = LoadSheet(in, directory);
    if (data) {
      if (Q(req, "format") == "pdf") {
        auto bytes = SheetPdf(*data);
        if (bytes) {
          pdf_out = std::move(*bytes);
          return "";
        }
      }
      std::string query = "postcode=" + UrlEncode(in.postcode) + "&worker_language=" + UrlEncode(in.worker_language) +
                          "&worker_name=" + UrlEncode(in.worker_name) + "&employer_name=" + UrlEncode(in.employer_name) +
                          "&start=" + UrlEncode(in.start) + (in.receipt ? "&receipt=1" : "");
      h += "<p class=\"no-print\"><a class=\"button\" href=\"/" + lang + "/employer-sheet?" + Esc(query) + "&amp;format=pdf\">" +
           t("sheet.pdf") + "</a></p><p class=\"no-print hint\">" + t("sheet.print") + "</p>";
      h += "<div class=\"sheet\">" + SheetBlockHtml("de", *data);
      if (in.worker_language != "de") h += SheetBlockHtml(in.worker_language, *data);
      if (in.receipt) {
        std::vector<std::string> langs{"de"};
        if (in.worker_language != "de") langs.push_back(in.worker_language);
        for (const std::string& l : langs) {
          h += "<section class=\"receipt\" lang=\"" + l + "\" dir=\"" + (IsRtl(l) ? "rtl" : "ltr") + "\"><h2>" +
               Esc(C().T(l, "sheet.receiptTitle")) + "</h2><p>" + Esc(C().T(l, "sheet.receiptText")) + "</p><p class=\"sign\">" +
               Esc(C().T(l, "sheet.date")) + ": ____________ " + Esc(C().T(l, "sheet.signature")) + ": ______________________</p></section>";
        }
      }
      h += "</div><p class=\"small no-print\" id=\"geo-data\">" + Esc(C().T(lang, "finder.geoData")) + "</p>";
    }
  }
  return RenderPage({lang, "/employer-sheet", C().T(lang, "sheet.title"), "employer"}, h);
}

struct LegalInput {
  std::string title, body;
};
const auto kLegalBody = body::Body<LegalInput>()
                            .Text("title", &LegalInput::title, Need::kRequired, {.max = 200, .min = 1})
                            .Text("body", &LegalInput::body, Need::kRequired, {.max = 50000, .min = 1, .multiline = true});

json::object RequestJson(const ContactRequest& r) {
  auto opt = [](const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); };
  return json::object{{"id", r.id},
                      {"reference", r.reference},
                      {"centre_id", r.centre_id},
                      {"postcode", opt(r.postcode)},
                      {"language", r.language},
                      {"topic", r.topic},
                      {"name", r.name},
                      {"reach", r.reach},
                      {"message", r.message},
                      {"status", r.status},
                      {"verified", r.verified},
                      {"created_at", r.created_at},
                      {"client_id", opt(r.client_id)},
                      {"case_id", opt(r.case_id)}};
}

}  // namespace

void RegisterRoutes(http::Router& router, Service& service, directory::Service& directory, knowledge::Service& knowledge) {
  using http::Access;
  auto page = [&router](const std::string& pattern, http::Handler h, bool blocking = false) -> http::Route& {
    // Every page below a portal language answers "?lang=" (a link or a visitor asking by query).
    std::string first = pattern.substr(1, pattern.find('/', 1) == std::string::npos ? std::string::npos : pattern.find('/', 1) - 1);
    if (IsPortalLanguage(first)) {
      h = [lang = first, inner = std::move(h)](http::Request& req) -> Result<http::Response> {
        if (auto answer = LangQuery(lang, req)) return std::move(*answer);
        return inner(req);
      };
    }
    auto& r = router.Get(pattern, std::move(h));
    r.access = Access::kPublic;
    r.session = false;  // public pages never read a session
    r.hidden = true;    // HTML, not part of the API document
    r.blocking = blocking;
    return r;
  };

  page("/portal/assets/portal.css", [](http::Request&) -> Result<http::Response> {
    http::Response r{200, "text/css; charset=utf-8", {{"Cache-Control", "public, max-age=86400"}}, PortalCss()};
    return r;
  });
  for (const auto& font : WebFonts()) {
    page(font.path, [&font](http::Request&) -> Result<http::Response> {
      http::Response r{200, "font/woff2", {{"Cache-Control", "public, max-age=31536000, immutable"}}, std::string(font.bytes)};
      return r;
    });
  }
  page("/portal/assets/portal.js", [](http::Request&) -> Result<http::Response> {
    http::Response r{200, "text/javascript; charset=utf-8", {{"Cache-Control", "public, max-age=86400"}}, std::string(embedded::kPortalJs)};
    return r;
  });

  router.AddFallback({"(portal-not-found)", PortalNotFound});

  page("/", [](http::Request& req) -> Result<http::Response> {
    return Html(EntryPage(SuggestLanguage(req.Header("accept-language").value_or(""))));
  });
  page("/de/leichte-sprache", [&service](http::Request&) -> Result<http::Response> {
    return Html(PlainPage(VideosOf(service, "home")), 200, true);
  }, true);

  for (auto lang_view : kLanguages) {
    const std::string lang(lang_view);
    page("/" + lang, [lang, &service](http::Request&) -> Result<http::Response> {
      return Html(HomePage(lang, VideosOf(service, "home")), 200, true);
    }, true);
    page("/" + lang + "/rights", [lang, &knowledge](http::Request&) -> Result<http::Response> {
      return Html(RightsPage(lang, knowledge), 200, true);
    }, true);
    page("/" + lang + "/rights/{id}", [lang, &knowledge](http::Request& req) -> Result<http::Response> {
      int status = 200;
      std::string id = req.Param("id").substr(0, 100);
      std::string body = RightsItemPage(lang, id, knowledge, status);
      return Html(std::move(body), status, status == 200);
    }, true);
    page("/" + lang + "/centres", [lang, &directory](http::Request& req) -> Result<http::Response> {
      int status = 200;
      std::string body = FinderPage(lang, req, directory, status);
      return Html(std::move(body), status, status == 200);
    });
    page("/" + lang + "/contact", [lang, &service](http::Request& req) -> Result<http::Response> {
      std::map<std::string, std::string> values;
      if (auto c = req.Query("centre")) values["centre"] = c->substr(0, 64);
      return Html(ContactPage(lang, service, values, {}, ""));
    });
    auto& post = router.Post("/" + lang + "/contact", [lang, &service](http::Request& req) -> Result<http::Response> {
      auto form = ParseForm(req.body);
      auto v = [&](const char* k) {
        auto it = form.find(k);
        return it == form.end() ? std::string() : it->second;
      };
      ContactForm f{lang,         v("name"),     v("reach"),   v("postcode"),      v("language"),
                    v("topic"),   v("message"),  v("centre"),  v("consent"),       v("website"),
                    v("pow_salt"), v("pow_challenge"), v("pow_signature"), v("pow_number")};
      SubmitResult result = service.Submit(f, req.remote_address);
      if (result.retry_after) {
        auto r = Html(TooManyPage(lang, *result.retry_after), 429);
        r.headers.emplace_back("Retry-After", std::to_string(*result.retry_after));
        return r;
      }
      if (result.reference) {
        http::Response r{303, "text/plain; charset=utf-8", {}, ""};
        r.headers.emplace_back("Location", "/" + lang + "/contact/sent?ref=" + *result.reference);
        return r;
      }
      FieldErrors errors;
      std::string form_error;
      for (const auto& [field, key] : result.errors) {
        if (field == "form") form_error = key;
        else errors.items.push_back({field == "topic" ? "topic-" + std::string(kTopics[0]) : field, C().T(lang, "errors." + key)});
      }
      // Keep what the visitor typed (escaped on output), but never a value that was refused as binary.
      std::map<std::string, std::string> values;
      for (const char* k : {"name", "reach", "postcode", "language", "topic", "message", "centre", "consent"}) {
        auto it = result.errors.find(k);
        if (it == result.errors.end() || it->second != "binary") values[k] = v(k).substr(0, 4000);
      }
      return Html(ContactPage(lang, service, values, errors, form_error == "unavailable" ? "replay" : form_error), 422);
    });
    post.access = Access::kPublic;
    post.session = false;
    post.hidden = true;
    post.json_body = false;
    post.csrf = false;
    post.max_body_bytes = 32 * 1024;
    post.too_large = [lang] { return FormTooLarge(lang, "/contact"); };
    page("/" + lang + "/contact/sent", [lang](http::Request& req) -> Result<http::Response> {
      std::string ref = Q(req, "ref");
      bool ok = ref.size() == 12 && ref.starts_with("FI-") &&
                std::all_of(ref.begin() + 3, ref.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
      if (!ok) return Html(NotFoundPage(lang), 404);
      return Html(SentPage(lang, ref));
    });
    page("/" + lang + "/employer-sheet", [lang, &directory](http::Request& req) -> Result<http::Response> {
      int status = 200;
      std::optional<std::string> pdf_bytes;
      std::string body = SheetPage(lang, req, directory, status, pdf_bytes);
      if (pdf_bytes) {
        http::Response r{200, "application/pdf", {}, std::move(*pdf_bytes)};
        r.headers.emplace_back("Content-Disposition", "inline; filename=\"informationsblatt-45c.pdf\"");
        return r;
      }
      return Html(std::move(body), status);
    }, true);
    for (auto legal : kLegalPages) {
      std::string name(legal);
      page("/" + lang + "/" + name, [lang, name, &service](http::Request&) -> Result<http::Response> {
        return Html(LegalPageHtml(lang, name, service));
      }, true);
    }
  }

  RegisterSignVideoRoutes(router, service.sign_videos());

  // ---- staff API ----
  auto& list = router.Get("/api/v1/contact-requests", [&service](http::Request& req) -> Result<http::Response> {
    std::optional<std::string> status;
    for (const auto& [k, v] : req.query) {
      if (k != "status") return Fail(Error::Invalid(k.substr(0, 64), "unknown query parameter"));
    }
    if (auto s = req.Query("status"); s && !s->empty()) status = *s;
    json::array items;
    for (const auto& r : FD_TRY(service.List(req.User(), status))) items.push_back(RequestJson(r));
    return http::Response::Json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });
  list.doc = {"Contact requests from the public portal to the caller's centre (newest first; suspected spam only "
              "with ?status=suspected_spam)", "portal", nullptr, nullptr, {"status"}};

  auto& convert = router.Post("/api/v1/contact-requests/{id}/convert", [&service](http::Request& req) -> Result<http::Response> {
    auto c = FD_TRY(service.Convert(req.User(), req.Param("id")));
    return http::Response::Json(json::object{{"client_id", c.client_id}, {"case_id", c.case_id}, {"case_number", c.case_number}}, 201);
  });
  convert.doc = {"Turn a contact request into a client and a case of the caller's centre", "portal", nullptr, nullptr, {}, 201};

  auto& close = router.Post("/api/v1/contact-requests/{id}/close", [&service](http::Request& req) -> Result<http::Response> {
    return http::Response::Json(RequestJson(FD_TRY(service.Close(req.User(), req.Param("id")))));
  });
  close.doc = {"Close a contact request without a case", "portal"};

  auto& legal = router.Put("/api/v1/portal/legal/{page}/{lang}", [&service](http::Request& req) -> Result<http::Response> {
    std::string page = req.Param("page"), lang = req.Param("lang");
    if (std::find(std::begin(kLegalPages), std::end(kLegalPages), page) == std::end(kLegalPages)) {
      return Fail(Error::NotFound("No such legal page."));
    }
    if (!IsPortalLanguage(lang)) return Fail(Error::Invalid("lang", "is not a portal language"));
    LegalInput in = FD_TRY(kLegalBody.Parse(req.body));
    FD_TRY_VOID(service.SaveLegal(req.User(), LegalPage{page, lang, in.title, in.body, 0, ""}));
    return http::Response::Json(json::object{{"page", page}, {"lang", lang}, {"title", in.title}, {"body", in.body}});
  });
  legal.roles = {Role::kAdmin};
  legal.doc = {"Replace the text of a legal page of the portal (imprint, privacy, accessibility) in one language (admin)",
               "portal", kLegalBody.Schema()};

  // The administration's view of the legal pages: per page and language the text the portal
  // shows (the admin's, else the default of the locale files, else German) and whether an admin
  // edited it.
  auto legal_json = [&service](const std::string& page, const std::string& lang, const std::optional<LegalPage>& stored) {
    json::object o{{"page", page}, {"lang", lang}, {"custom", stored.has_value()}};
    if (stored) {
      o["title"] = stored->title;
      o["body"] = stored->body;
      o["updated_at"] = clock::FormatRfc3339(stored->updated_at);
      o["shown_lang"] = lang;
    } else {
      std::string shown = C().Has(lang, "legalDefaults." + page + "Title") ? lang : "de";
      o["title"] = C().T(shown, "legalDefaults." + page + "Title");
      o["body"] = C().T(shown, "legalDefaults." + page + "Body");
      o["updated_at"] = nullptr;
      o["shown_lang"] = shown;
    }
    return o;
  };
  auto& legal_list = router.Get("/api/v1/portal/legal", [&service](http::Request& req) -> Result<http::Response> {
    if (!req.query.empty()) return Fail(Error::Invalid(req.query.begin()->first.substr(0, 64), "unknown query parameter"));
    std::map<std::pair<std::string, std::string>, LegalPage> edited;
    for (auto& p : FD_TRY(service.LegalPages(req.User()))) edited.emplace(std::pair{p.page, p.lang}, std::move(p));
    json::array items;
    for (auto page : kLegalPages) {
      for (auto lang : kLanguages) {
        auto it = edited.find({std::string(page), std::string(lang)});
        json::object o{{"page", page}, {"lang", lang}, {"custom", it != edited.end()}};
        o["updated_at"] = it != edited.end() ? json::value(clock::FormatRfc3339(it->second.updated_at)) : json::value(nullptr);
        items.push_back(std::move(o));
      }
    }
    return http::Response::Json(json::object{{"items", std::move(items)}});
  });
  legal_list.roles = {Role::kAdmin};
  legal_list.doc = {"The portal's legal pages in every portal language, and which an admin edited (admin)", "portal"};

  auto& legal_get = router.Get("/api/v1/portal/legal/{page}/{lang}", [&service, legal_json](http::Request& req) -> Result<http::Response> {
    std::string page = req.Param("page"), lang = req.Param("lang");
    if (std::find(std::begin(kLegalPages), std::end(kLegalPages), page) == std::end(kLegalPages)) {
      return Fail(Error::NotFound("No such legal page."));
    }
    if (!IsPortalLanguage(lang)) return Fail(Error::NotFound("No such portal language."));
    FD_TRY(service.LegalPages(req.User()));  // admins only
    auto stored = FD_TRY(service.Legal(page, lang));
    return http::Response::Json(legal_json(page, lang, stored));
  });
  legal_get.roles = {Role::kAdmin};
  legal_get.doc = {"A legal page of the portal in one language as the portal shows it, and whether an admin edited it (admin)",
                   "portal"};

  auto& legal_reset = router.Delete("/api/v1/portal/legal/{page}/{lang}", [&service, legal_json](http::Request& req) -> Result<http::Response> {
    std::string page = req.Param("page"), lang = req.Param("lang");
    if (std::find(std::begin(kLegalPages), std::end(kLegalPages), page) == std::end(kLegalPages) || !IsPortalLanguage(lang)) {
      return Fail(Error::NotFound("No such legal page."));
    }
    FD_TRY_VOID(service.ResetLegal(req.User(), page, lang));
    return http::Response::Json(legal_json(page, lang, std::nullopt));
  });
  legal_reset.roles = {Role::kAdmin};
  legal_reset.doc = {"Remove the edited text of a legal page in one language: the portal shows the default again (admin)",
                     "portal"};
}

}  // namespace fairdesk::portal

// ---- public events (issue 10 / 12): the list, one event with the self-registration form, and
// the person's own registration behind the secret link of their e-mails ----

namespace fairdesk::portal {
namespace {

// "2026-03-06T09:30" → "06.03.2026, 09:30" (German local time, Gregorian, as every portal date).
std::string LocalTimeText(std::string_view local) {
  if (local.size() != 16) return std::string(local);
  return FormatDate(local.substr(0, 10)) + ", " + std::string(local.substr(11, 5));
}

std::string SessionsHtml(const std::string& lang, const events::Event& e) {
  auto t = [&](std::string_view k) { return Esc(C().T(lang, k)); };
  std::string h = "<ul class=\"sessions\">";
  for (const auto& s : e.sessions) {
    std::string end = s.end.substr(0, 10) == s.start.substr(0, 10) ? s.end.substr(11, 5) : LocalTimeText(s.end);
    h += "<li><bdi dir=\"ltr\">" + Esc(LocalTimeText(s.start)) + "–" + Esc(end) + "</bdi>";
    if (!s.place.empty()) h += " · " + Esc(s.place);
    if (!s.online_url.empty()) h += " · " + t("events.online");
    h += "</li>";
  }
  return h + "</ul><p class=\"small\">" + t("events.timezone") + "</p>";
}

std::string EventFacts(const std::string& lang, const events::Event& e) {
  auto t = [&](std::string_view k) { return Esc(C().T(lang, k)); };
  std::string h = "<dl>";
  h += "<dt>" + t("events.when") + "</dt><dd>" + SessionsHtml(lang, e) + "</dd>";
  h += "<dt>" + t("events.languages") + "</dt><dd>" + Languages(e.languages) + "</dd>";
  h += "<dt>" + t("events.organiser") + "</dt><dd>" + Esc(e.organiser_name) + "</dd>";
  if (!e.partner.empty()) h += "<dt>" + t("events.partner") + "</dt><dd>" + Esc(e.partner) + "</dd>";
  h += "<dt>" + t("events.deadline") + "</dt><dd><bdi dir=\"ltr\">" + Esc(FormatDate(e.registration_deadline)) + "</bdi></dd>";
  h += "</dl>";
  return h;
}

// Seats as a visitor needs them: free seats, or the waiting list.
std::string Availability(const std::string& lang, const events::Event& e) {
  if (e.status == "cancelled") return "<p class=\"badge\">" + Esc(C().T(lang, "events.cancelled")) + "</p>";
  std::int64_t left = e.capacity - e.counts.confirmed - e.counts.offered;
  if (left > 0 && e.counts.waitlisted == 0) {
    return "<p>" + Esc(C().T(lang, "events.seatsLeft", {{"count", std::to_string(left)}})) + "</p>";
  }
  return "<p>" + Esc(C().T(lang, "events.full")) + "</p>";
}

std::string EventsListPage(const std::string& lang, events::Service& events) {
  auto t = [&](std::string_view k) { return Esc(C().T(lang, k)); };
  std::string h = "<h1>" + t("events.title") + "</h1><p class=\"lead\">" + t("events.intro") + "</p>";
  h += "<p><a href=\"/api/v1/public/events/calendar.ics\" type=\"text/calendar\" data-testid=\"events-calendar\">" +
       t("events.calendar") + "</a><br><span class=\"small\">" + t("events.calendarHint") + "</span></p>";
  auto list = events.PublicEvents();
  if (!list || list->empty()) return RenderPage({lang, "/events", C().T(lang, "events.title"), "events"}, h + "<p>" + t("events.none") + "</p>");
  for (const auto& e : *list) {
    h += "<article class=\"card\" data-testid=\"public-event\"><h2><a href=\"/" + lang + "/events/" + Esc(e.id) + "\">" +
         Esc(e.title) + "</a></h2>";
    h += "<p>" + t("events.kinds." + e.kind) + "</p>";
    h += Availability(lang, e);
    h += EventFacts(lang, e);
    h += "</article>";
  }
  return RenderPage({lang, "/events", C().T(lang, "events.title"), "events"}, h);
}

std::string EventPage(const std::string& lang, const events::Event& e, Service& service, events::Service& events,
                      const std::map<std::string, std::string>& values, const FieldErrors& errors,
                      const std::string& form_error) {
  auto t = [&](std::string_view k) { return Esc(C().T(lang, k)); };
  auto v = [&](const std::string& k) {
    auto it = values.find(k);
    return it == values.end() ? std::string() : it->second;
  };
  std::string h;
  if (!form_error.empty()) {
    h += "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" id=\"errors\"><h2>" + t("errors.title") + "</h2><p>" +
         Esc(C().T(lang, "errors." + form_error)) + "</p></div>";
  }
  h += ErrorSummary(lang, errors);
  h += "<p><a href=\"/" + lang + "/events\">" + t("events.back") + "</a></p>";
  h += "<h1>" + Esc(e.title) + "</h1><p>" + t("events.kinds." + e.kind) + "</p>";
  h += Availability(lang, e);
  if (!e.description.empty()) h += "<p dir=\"auto\">" + Esc(e.description) + "</p>";
  h += EventFacts(lang, e);
  h += "<p><a href=\"/api/v1/public/events/calendar.ics\" type=\"text/calendar\">" + t("events.calendar") + "</a></p>";
  h += "<h2 id=\"register\">" + t("events.registerTitle") + "</h2>";
  bool closed = e.status != "published" ||
                clock::TodayIso() > e.registration_deadline;  // the deadline day itself is open (Berlin ≈ today)
  if (closed) return RenderPage({lang, "/events/" + e.id, e.title, "events"}, h + "<p>" + t(e.status == "cancelled" ? "events.cancelled" : "events.closed") + "</p>");
  if (!events.PublicRegistrationOpen()) {
    return RenderPage({lang, "/events/" + e.id, e.title, "events"}, h + "<p>" + t("events.noMail") + "</p>");
  }
  h += "<p>" + t("events.registerIntro") + "</p>";
  Challenge ch = service.NewChallenge();
  h += "<form method=\"post\" action=\"/" + lang + "/events/" + Esc(e.id) + "\" class=\"form\" id=\"event-registration-form\" data-pow-max=\"" +
       std::to_string(ch.max_number) + "\">";
  h += TextField("name", C().T(lang, "events.name"), v("name"), "", errors.For("name"), " autocomplete=\"name\" maxlength=\"100\" required dir=\"auto\"");
  std::string ee = errors.For("email");
  std::string described = ee.empty() ? "" : " aria-describedby=\"email-error\" aria-invalid=\"true\"";
  h += "<div class=\"field" + std::string(ee.empty() ? "" : " invalid") + "\"><label for=\"email\">" + t("events.email") + "</label>";
  if (!ee.empty()) h += "<p class=\"error\" id=\"email-error\">" + Esc(ee) + "</p>";
  h += "<input type=\"email\" id=\"email\" name=\"email\" dir=\"ltr\" autocomplete=\"email\" maxlength=\"254\" required value=\"" +
       Esc(v("email")) + "\"" + described + "></div>";
  h += "<div class=\"hp\" aria-hidden=\"true\"><label for=\"website\">" + t("contact.honeypot") +
       "</label><input type=\"text\" id=\"website\" name=\"website\" tabindex=\"-1\" autocomplete=\"off\" value=\"\"></div>";
  std::string ce = errors.For("consent");
  h += "<div class=\"check" + std::string(ce.empty() ? "" : " invalid") + "\">";
  if (!ce.empty()) h += "<p class=\"error\" id=\"consent-error\">" + Esc(ce) + "</p>";
  h += "<input type=\"checkbox\" id=\"consent\" name=\"consent\" value=\"yes\"" + std::string(v("consent") == "yes" ? " checked" : "") +
       (ce.empty() ? "" : " aria-describedby=\"consent-error\" aria-invalid=\"true\"") + " required><label for=\"consent\">" +
       t("events.consent") + "</label></div>";
  h += "<p><a href=\"/" + lang + "/privacy\">" + t("contact.privacyLink") + "</a></p>";
  h += "<input type=\"hidden\" name=\"pow_salt\" value=\"" + Esc(ch.salt) + "\">";
  h += "<input type=\"hidden\" name=\"pow_challenge\" value=\"" + ch.challenge + "\">";
  h += "<input type=\"hidden\" name=\"pow_signature\" value=\"" + ch.signature + "\">";
  h += "<input type=\"hidden\" name=\"pow_number\" value=\"\">";
  h += "<p class=\"hint\">" + t("contact.powNote") + "</p>";
  h += "<button type=\"submit\" class=\"button\">" + t("events.submit") + "</button></form>";
  return RenderPage({lang, "/events/" + e.id, e.title, "events", true}, h);
}

std::string RequestedPage(const std::string& lang, const events::Event& e) {
  auto t = [&](std::string_view k) { return Esc(C().T(lang, k)); };
  std::string h = "<h1>" + t("events.requestedTitle") + "</h1><p role=\"status\">" + t("events.requestedText") + "</p>";
  h += "<p><a href=\"/" + lang + "/events/" + Esc(e.id) + "\">" + Esc(e.title) + "</a></p>";
  return RenderPage({lang, "/events/" + e.id + "/requested", C().T(lang, "events.requestedTitle"), "events"}, h);
}

std::string ManagePage(const std::string& lang, const events::PublicRegistrationView& v, const std::string& token,
                       const std::string& done, const std::string& error) {
  auto t = [&](std::string_view k) { return Esc(C().T(lang, k)); };
  const auto& r = v.registration;
  std::string h = "<h1>" + t("events.manageTitle") + "</h1>";
  if (!done.empty()) h += "<div class=\"notice\" role=\"status\"><p>" + t("events.done." + done) + "</p></div>";
  if (!error.empty()) h += "<div class=\"error-summary\" role=\"alert\"><p>" + Esc(error) + "</p></div>";
  h += "<h2>" + Esc(v.event.title) + "</h2>";
  if (v.event.status == "cancelled") h += "<p class=\"badge\">" + t("events.cancelled") + "</p>";
  std::string status;
  if (r.status == "waitlisted") {
    status = C().T(lang, "events.status.waitlisted", {{"position", std::to_string(r.position.value_or(0))}});
  } else if (r.status == "offered") {
    auto until = events::FromUtc(r.offer_expires_at.value_or(0));
    status = C().T(lang, "events.status.offered", {{"until", LocalTimeText(until.ToString())}});
  } else {
    status = C().T(lang, "events.status." + r.status);
  }
  h += "<p data-testid=\"registration-status\" data-status=\"" + Esc(r.status) + "\"><strong>" + Esc(status) + "</strong></p>";
  h += EventFacts(lang, v.event);
  auto button = [&](std::string_view action, std::string_view label, bool primary) {
    return "<form method=\"post\" action=\"/" + lang + "/event-registration/" + Esc(token) +
           "\" class=\"inline-form\"><input type=\"hidden\" name=\"action\" value=\"" + std::string(action) +
           "\"><button type=\"submit\" class=\"button" + (primary ? "" : " secondary") + "\">" + t(label) + "</button></form>";
  };
  bool open = v.event.status == "published";
  if (open && r.status == "pending") h += button("confirm", "events.confirm", true);
  if (open && r.status == "offered") h += button("accept", "events.accept", true) + button("cancel", "events.decline", false);
  if (open && r.status == "waitlisted") h += button("cancel", "events.leave", false);
  if (open && r.status == "confirmed") h += button("cancel", "events.cancelRegistration", false);
  return RenderPage({lang, "/events", C().T(lang, "events.manageTitle"), "events"}, h);
}

http::Response NoReferrer(http::Response r) {
  // The address carries the person's secret link: never cached (the server's headers already
  // send Referrer-Policy: no-referrer on every response).
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace

events::MailMessage ComposeEventMail(const events::PublicMail& m) {
  const std::string& lang = IsPortalLanguage(m.language) ? m.language : std::string("de");
  auto start = events::FromUtc(m.first_start_utc);
  std::string when = LocalTimeText(start.ToString()) + " " + C().T(lang, "events.mail.timezone");
  events::MailMessage out;
  out.to = m.to;
  out.subject = C().T(lang, "events.mail.subject", {{"title", m.event_title}});
  out.text = C().T(lang, "events.mail.hello", {{"name", m.name}}) + "\n\n" + m.event_title + "\n" +
             C().T(lang, "events.mail.starts", {{"when", when}}) + "\n\n" + C().T(lang, "events.mail.kinds." + m.kind) +
             "\n\n" + C().T(lang, "events.mail.link") + "\n" + m.manage_url + "\n\n" + C().T(lang, "events.mail.footer") + "\n";
  return out;
}

void RegisterEventPages(http::Router& router, Service& service, events::Service& events) {
  using http::Access;
  auto page = [&router](const std::string& pattern, http::Handler h) -> http::Route& {
    auto& r = router.Get(pattern, std::move(h));
    r.access = Access::kPublic;
    r.session = false;
    r.hidden = true;
    r.blocking = true;  // reads the database
    return r;
  };
  auto form_post = [&router](const std::string& pattern, http::Handler h) -> http::Route& {
    auto& r = router.Post(pattern, std::move(h));
    r.access = Access::kPublic;
    r.session = false;
    r.hidden = true;
    r.json_body = false;
    r.csrf = false;
    r.blocking = true;
    r.max_body_bytes = 16 * 1024;
    const std::string lang = pattern.substr(1, pattern.find('/', 1) - 1);
    r.too_large = [lang] { return FormTooLarge(lang, "/events"); };
    return r;
  };
  for (auto lang_view : kLanguages) {
    const std::string lang(lang_view);
    page("/" + lang + "/events", [lang, &events](http::Request&) -> Result<http::Response> {
      return Html(EventsListPage(lang, events));
    });
    page("/" + lang + "/events/{id}", [lang, &service, &events](http::Request& req) -> Result<http::Response> {
      auto e = events.PublicEvent(req.Param("id"));
      if (!e) return Html(NotFoundPage(lang), 404);
      return Html(EventPage(lang, *e, service, events, {}, {}, ""));
    });
    form_post("/" + lang + "/events/{id}", [lang, &service, &events](http::Request& req) -> Result<http::Response> {
      auto e = events.PublicEvent(req.Param("id"));
      if (!e) return Html(NotFoundPage(lang), 404);
      auto form = ParseForm(req.body);
      auto v = [&](const char* k) {
        auto it = form.find(k);
        return it == form.end() ? std::string() : it->second;
      };
      Protection guard = service.Protect({v("website"), v("pow_salt"), v("pow_challenge"), v("pow_signature"), v("pow_number")},
                                         req.remote_address);
      if (guard.retry_after) {
        auto r = Html(TooManyPage(lang, *guard.retry_after), 429);
        r.headers.emplace_back("Retry-After", std::to_string(*guard.retry_after));
        return r;
      }
      http::Response sent{303, "text/plain; charset=utf-8", {}, ""};
      sent.headers.emplace_back("Location", "/" + lang + "/events/" + e->id + "/requested");
      FieldErrors errors;
      std::string form_error;
      if (guard.replay) form_error = "replay";
      events::PublicRegistrationInput input{v("name"), v("email"), lang};
      auto checked = events::Service::CheckPublicInput(input);
      if (checked && v("consent") == "yes" && form_error.empty()) {
        // Bots (honeypot, too fast) get the same answer as people, and nothing is stored.
        if (guard.spam) return sent;
        checked = events.RequestPublicRegistration(e->id, input);
        if (checked) return sent;
        if (checked.error().errors.empty()) form_error = "eventClosed";
      }
      if (!checked) {
        for (const auto& f : checked.error().errors) {
          std::string key = f.field == "email" ? "email" : f.field == "name" ? "name" : "";
          if (key.empty()) {
            form_error = "eventClosed";
            continue;
          }
          bool missing = f.message.find("required") != std::string::npos;
          bool binary = f.message.find("plain text") != std::string::npos;
          errors.items.push_back({key, C().T(lang, missing ? "errors.required" : binary ? "errors.binary"
                                                     : key == "email"                   ? "errors.email"
                                                                                        : "errors.tooLong")});
        }
      }
      if (v("consent") != "yes") errors.items.push_back({"consent", C().T(lang, "errors.consent")});
      std::map<std::string, std::string> values{{"name", v("name").substr(0, 400)}, {"email", v("email").substr(0, 400)},
                                                {"consent", v("consent")}};
      return Html(EventPage(lang, *e, service, events, values, errors, form_error), 422);
    });
    page("/" + lang + "/events/{id}/requested", [lang, &events](http::Request& req) -> Result<http::Response> {
      auto e = events.PublicEvent(req.Param("id"));
      if (!e) return Html(NotFoundPage(lang), 404);
      return Html(RequestedPage(lang, *e));
    });
    page("/" + lang + "/event-registration/{token}", [lang, &events](http::Request& req) -> Result<http::Response> {
      std::string token = req.Param("token");
      auto view = events.PublicRegistration(token);
      if (!view) return NoReferrer(Html(NotFoundPage(lang), 404));
      std::string done = Q(req, "done");
      if (done != "confirm" && done != "accept" && done != "cancel") done.clear();
      return NoReferrer(Html(ManagePage(lang, *view, token, done, "")));
    });
    form_post("/" + lang + "/event-registration/{token}", [lang, &events](http::Request& req) -> Result<http::Response> {
      std::string token = req.Param("token");
      auto form = ParseForm(req.body);
      std::string action = form.contains("action") ? form["action"] : "";
      auto result = events.PublicAction(token, action);
      if (!result) {
        auto view = events.PublicRegistration(token);
        if (!view) return NoReferrer(Html(NotFoundPage(lang), 404));
        return NoReferrer(Html(ManagePage(lang, *view, token, "", C().T(lang, "events.actionFailed")), 409));
      }
      http::Response r{303, "text/plain; charset=utf-8", {}, ""};
      r.headers.emplace_back("Location", "/" + lang + "/event-registration/" + token + "?done=" + action);
      return NoReferrer(std::move(r));
    });
  }
}

}  // namespace fairdesk::portal
