#pragma once
/// Text normalisation for matching personal data: the blind index of returning clients and the
/// identity check of escalations. Pure functions (ICU), no database, no keys.

#include <string>
#include <string_view>
#include <vector>

#include "cases/model.hpp"

namespace fairdesk::cases {

/// NFKC with case folding, invisible characters removed (zero-width spaces and joiners, soft
/// hyphen, word joiner, BOM, bidirectional marks), common confusables folded to their Latin
/// look-alike (Unicode TS 39 skeleton: Cyrillic "а" and Latin "a" compare equal) and runs of
/// white space collapsed to one space. Invalid UTF-8 is replaced, never an error.
std::string FoldForMatch(std::string_view text);

/// The ASCII digits of `text` after NFKC (full-width digits count), everything else dropped.
std::string DigitsOf(std::string_view text);

/// A phone number in national form: digits only, "+49" / "0049" become "0" (so +49 30 1234567
/// and 030/1234567 are the same number). Empty when fewer than five digits.
std::string NormalisePhone(std::string_view phone);

/// Letters and digits only, folded (case, spaces and punctuation gone): "Amina-Test" = "amina test".
std::string NormaliseName(std::string_view name);

/// The words of a name (folded, letters and digits), each at least two characters.
std::vector<std::string> NameTokens(std::string_view name);

/// An e-mail address trimmed and in lower case.
std::string NormaliseEmail(std::string_view email);

/// What an escalation text reveals of the client (`client` decrypted): the kinds found, out of
/// "code", "name", "phone", "email", "birth_date", "employer", "address". Empty: nothing found.
std::vector<std::string> IdentifyingData(std::string_view text, const Client& client);

}  // namespace fairdesk::cases
