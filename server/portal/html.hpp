#pragma once
/// HTML building for the portal: escaping, the page frame (language, direction, hreflang,
/// navigation, language navigation, footer with legal links). No inline script or style (the CSP
/// forbids them); one stylesheet and one optional script, both same-origin.

#include <string>
#include <string_view>

namespace fairdesk::portal {

std::string Esc(std::string_view s);
/// Text kept left to right inside right-to-left pages (phone numbers, e-mail addresses, IBANs).
std::string Ltr(std::string_view s);
/// A date YYYY-MM-DD as DD.MM.YYYY (Gregorian, digits as written in German and in the portal's
/// other languages).
std::string FormatDate(std::string_view iso);

struct PageFrame {
  std::string lang;      // portal language
  std::string path;      // the page's path below /{lang}, e.g. "/centres" ("" for the home page)
  std::string title;     // <title> and nothing else
  std::string active;    // nav key of the current page
  bool script = false;   // load portal.js (the contact form's proof of work)
  std::string html_lang; // lang attribute when it differs (e.g. "de" for Leichte Sprache)
};

/// The whole document around `main_html`.
std::string RenderPage(const PageFrame& frame, std::string_view main_html);

}  // namespace fairdesk::portal
