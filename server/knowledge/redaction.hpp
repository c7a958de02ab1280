#pragma once
/// The redaction check of case descriptions: before "submit for review" and before "publish", every
/// title, tag and text of every translation is compared with the source case's own personal data.
/// Deterministic and script-aware (KNOWLEDGE_EVENTS.md): name tokens compared after the search
/// normalisation (case, diacritics, Arabic/Persian letter forms, vowel marks); phone numbers in
/// any format (+49 / 0049 / 0, spaces, dashes, slashes, brackets, Arabic-Indic digits); the birth
/// date in German, ISO, short-year and written-month forms; e-mail, address parts and employer.
/// A hit names the field and the kind of data, never the data itself.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fairdesk::knowledge {

struct PersonalData {
  std::vector<std::string> names;      // full names, in every script recorded
  std::vector<std::string> phones;
  std::vector<std::string> emails;
  std::vector<std::string> addresses;
  std::vector<std::string> employers;
  std::vector<std::string> birth_dates;  // YYYY-MM-DD
  std::vector<std::string> codes;        // the client code
};

struct RedactionHit {
  std::string field;  // e.g. "translations.ar.body"
  std::string kind;   // name, phone, email, address, employer, birth_date, client_code
};

/// The kinds of personal data of `pd` found in `text`.
std::vector<std::string> FindPersonalData(const PersonalData& pd, std::string_view text);

/// The digits of a phone number in national form (+49 / 0049 → 0), or empty when it has fewer than 6.
std::string NationalDigits(std::string_view phone);

}  // namespace fairdesk::knowledge
