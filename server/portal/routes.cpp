#include "portal/routes.hpp"

#include <algorithm>
#include <ctime>

#include "directory/postcodes.hpp"
#include "directory/routes.hpp"
#include "knowledge/service.hpp"
#include "labour_law/tables.hpp"
#include "platform/core/body.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/date.hpp"
#include "platform/pdf/pdf.hpp"
#include "portal/html.hpp"
#include "portal/i18n.hpp"

namespace fairdesk::embedded {
extern const std::string_view kPortalCss, kPortalJs;
}

namespace fairdesk::portal {
namespace json = boost::json;
namespace {

const Catalog& C() { return Catalog::Get(); }

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

std::string Hours(const std::vector<directory::OpeningHours>& hours) {
  std::string s;
  for (const auto& h : hours) {
    s += (s.empty() ? "" : "<br>") + std::string("<bdi dir=\"ltr\">") + Esc(h.days) + " " + Esc(h.from) + "–" + Esc(h.to) + "</bdi>";
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
  h += "<dt>" + t("finder.address") + "</dt><dd>" + Esc(l.street) + "<br>" + Ltr(l.postcode) + " " + Esc(l.city) + "</dd>";
  if (l.phone) h += "<dt>" + t("finder.phone") + "</dt><dd><a href=\"tel:" + Esc(l.phone->c_str()) + "\">" + Ltr(*l.phone) + "</a></dd>";
  if (l.email) h += "<dt>" + t("finder.email") + "</dt><dd><a href=\"mailto:" + Esc(*l.email) + "\">" + Ltr(*l.email) + "</a></dd>";
  if (!l.opening_hours.empty()) h += "<dt>" + t("finder.hours") + "</dt><dd>" + Hours(l.opening_hours) + "</dd>";
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

// ---- pages ----

std::string HomePage(const std::string& lang) {
  auto t = [&](std::string_view k) { return Esc(C().T(lang, k)); };
  std::string h = "<h1>" + t("home.title") + "</h1><p class=\"lead\">" + t("site.tagline") + "</p><p>" + t("home.intro") + "</p>";
  h += "<h2>" + t("home.whatTitle") + "</h2><ul class=\"tiles\">";
  h += "<li><a href=\"/" + lang + "/rights\">" + t("nav.rights") + "</a><p>" + t("home.what1") + "</p></li>";
  h += "<li><a href=\"/" + lang + "/centres\">" + t("nav.centres") + "</a><p>" + t("home.what2") + "</p></li>";
  h += "<li><a href=\"/" + lang + "/contact\">" + t("nav.contact") + "</a><p>" + t("home.what3") + "</p></li>";
  h += "<li><a href=\"/" + lang + "/employer-sheet\">" + t("nav.employer") + "</a><p>" + t("home.what4") + "</p></li>";
  h += "</ul>";
  h += "<p>" + t("home.eu") + " <a href=\"https://www.faire-mobilitaet.de/\" rel=\"external\">" + t("home.euLink") + "</a></p>";
  h += "<section aria-labelledby=\"dgs\"><h2 id=\"dgs\">" + t("home.signTitle") + "</h2><p>" + t("home.signText") + "</p></section>";
  h += "<p><a href=\"/de/leichte-sprache/\" lang=\"de\">" + Esc(C().T("de", "home.plainLink")) + "</a></p>";
  return RenderPage({lang, "/", C().T(lang, "home.title"), "home"}, h);
}

std::string PlainPage() {
  std::string h = "<div lang=\"de\"><h1>" + Esc(C().T("de", "plain.title")) + "</h1>";
  for (int i = 1; i <= 9; ++i) h += "<p class=\"plain\">" + Esc(C().T("de", "plain.p" + std::to_string(i))) + "</p>";
  h += "<section aria-labelledby=\"dgs\"><h2 id=\"dgs\">" + Esc(C().T("de", "home.signTitle")) + "</h2><p>" +
       Esc(C().T("de", "home.signText")) + "</p></section></div>";
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
  h += "<h2>" + Esc(C().T("de", "entry.all")) + "</h2><ul class=\"entry-langs\">";
  for (auto l : kLanguages) {
    std::string ls(l);
    h += "<li><a href=\"/" + ls + "/\" lang=\"" + ls + "\" hreflang=\"" + ls + "\" dir=\"" + (IsRtl(ls) ? "rtl" : "ltr") + "\">" +
         Esc(Autonym(ls)) + "</a></li>";
  }
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

std::string RightsPage(const std::string& lang, knowledge::Service& knowledge) {
  auto t = [&](std::string_view k) { return Esc(C().T(lang, k)); };
  Date today = *Date::Parse(clock::TodayIso());
  std::string h = "<h1>" + t("rights.title") + "</h1><p class=\"lead\">" + t("rights.intro") + "</p>";
  h += "<section aria-labelledby=\"figures\"><h2 id=\"figures\">" + t("rights.figuresTitle") + "</h2><ul>";
  auto euros = [](Cents c) {
    std::int64_t v = c.value();
    std::string cents = std::to_string(v % 100);
    if (cents.size() < 2) cents.insert(0, "0");
    return std::to_string(v / 100) + "," + cents + " €";
  };
  if (const auto* row = labour_law::RowFor(labour_law::MinimumWageTable(), today)) {
    h += "<li>" + Esc(C().T(lang, "rights.minimumWage", {{"amount", euros(row->value)}, {"since", FormatDate(row->valid_from.ToString())}})) + "</li>";
  }
  if (const auto* row = labour_law::RowFor(labour_law::EarningsLimitsTable(), today)) {
    h += "<li>" + Esc(C().T(lang, "rights.minijob", {{"amount", euros(row->value.minijob_limit)}, {"since", FormatDate(row->valid_from.ToString())}})) + "</li>";
  }
  h += "</ul><p class=\"small\">" + Esc(C().T(lang, "rights.asOf", {{"date", FormatDate(clock::TodayIso())}})) + "</p></section>";
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

Result<std::string> SheetPdf(const SheetData& d) {
  pdf::Document doc({.title = C().T("de", "sheet.sheetHeading"), .author = C().T("de", "site.name"),
                     .subject = "§ 45c AufenthG"});
  std::vector<std::string> langs{"de"};
  if (d.in.worker_language != "de") langs.push_back(d.in.worker_language);
  for (std::size_t li = 0; li < langs.size(); ++li) {
    const std::string& l = langs[li];
    auto t = [&](std::string_view k, std::initializer_list<std::pair<std::string_view, std::string>> vars = {}) {
      return C().T(l, k, vars);
    };
    doc.Heading(t("sheet.sheetHeading"));
    if (!d.in.worker_name.empty()) doc.Paragraph(t("sheet.for", {{"name", d.in.worker_name}}));
    if (!d.in.employer_name.empty()) doc.Paragraph(t("sheet.from", {{"name", d.in.employer_name}}));
    if (!d.in.start.empty()) doc.Paragraph(t("sheet.start", {{"date", FormatDate(d.in.start)}}));
    doc.Paragraph(t("sheet.workplace", {{"postcode", d.in.postcode}, {"place", d.place}}));
    doc.Paragraph(t("sheet.notice"));
    auto card = [&](const directory::FoundLocation& f) {
      const auto& loc = f.location;
      std::vector<std::vector<std::string>> rows;
      rows.push_back({t("finder.address"), loc.street + ", " + loc.postcode + " " + loc.city});
      if (loc.phone) rows.push_back({t("finder.phone"), *loc.phone});
      if (loc.email) rows.push_back({t("finder.email"), *loc.email});
      std::string hours;
      for (const auto& oh : loc.opening_hours) hours += (hours.empty() ? "" : "; ") + oh.days + " " + oh.from + "–" + oh.to;
      if (!hours.empty()) rows.push_back({t("finder.hours"), hours});
      std::string ch;
      for (const auto& c : loc.channels) ch += (ch.empty() ? "" : ", ") + t("channels." + c);
      rows.push_back({t("finder.channels"), ch});
      std::string ls;
      for (const auto& c : loc.languages) ls += (ls.empty() ? "" : ", ") + Autonym(c);
      rows.push_back({t("finder.languages"), ls});
      doc.Paragraph(f.centre.name + " – " + loc.name, {.bold = true});
      doc.Table({}, rows, {0.3, 0.7});
    };
    if (d.nearest) card(*d.nearest);
    if (d.state_centre) {
      doc.Paragraph(t("sheet.stateCentre"));
      card(*d.state_centre);
    }
    doc.Paragraph(t("sheet.asOf", {{"date", FormatDate(clock::TodayIso())}}), {.size = 9, .grey = 0.3});
    if (d.in.receipt) {
      doc.Spacer(12);
      doc.Heading(t("sheet.receiptTitle"), 2);
      doc.Paragraph(t("sheet.receiptText"));
      doc.Spacer(24);
      doc.Paragraph(t("sheet.date") + ": ______________________    " + t("sheet.signature") + ": ______________________________");
    }
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
  in.worker_name = Q(req, "worker_name").substr(0, 400);
  in.employer_name = Q(req, "employer_name").substr(0, 800);
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
    auto utf8ok = [](const std::string& s) {
      for (unsigned char c : s) {
        if (c < 0x20) return false;
      }
      return true;
    };
    if (in.worker_name.size() > 300 || !utf8ok(in.worker_name)) errors.items.push_back({"worker_name", C().T(lang, "errors.tooLong")});
    if (in.employer_name.size() > 600 || !utf8ok(in.employer_name)) errors.items.push_back({"employer_name", C().T(lang, "errors.tooLong")});
    if (!in.start.empty() && !Date::Parse(in.start)) errors.items.push_back({"start", C().T(lang, "errors.required")});
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
      h += "</div>";
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
    auto& r = router.Get(pattern, std::move(h));
    r.access = Access::kPublic;
    r.session = false;  // public pages never read a session
    r.hidden = true;    // HTML, not part of the API document
    r.blocking = blocking;
    return r;
  };

  page("/portal/assets/portal.css", [](http::Request&) -> Result<http::Response> {
    http::Response r{200, "text/css; charset=utf-8", {{"Cache-Control", "public, max-age=86400"}}, std::string(embedded::kPortalCss)};
    return r;
  });
  page("/portal/assets/portal.js", [](http::Request&) -> Result<http::Response> {
    http::Response r{200, "text/javascript; charset=utf-8", {{"Cache-Control", "public, max-age=86400"}}, std::string(embedded::kPortalJs)};
    return r;
  });

  page("/", [](http::Request& req) -> Result<http::Response> {
    return Html(EntryPage(SuggestLanguage(req.Header("accept-language").value_or(""))));
  });
  page("/de/leichte-sprache", [](http::Request&) -> Result<http::Response> { return Html(PlainPage(), 200, true); });

  for (auto lang_view : kLanguages) {
    const std::string lang(lang_view);
    page("/" + lang, [lang](http::Request&) -> Result<http::Response> { return Html(HomePage(lang), 200, true); });
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
}

}  // namespace fairdesk::portal
