#pragma once
/// Which new passwords are refused (issue 8 #8): the length rule, common passwords from a bundled
/// list (Openwall's password.lst from Debian's john-data package, public domain, built into the
/// binary), and trivially weak patterns: few distinct characters ("aaaaaaaaaaaa", twelve
/// spaces, "abababababab"), runs ("123456789012", "abcdefghijkl"), a common password repeated or
/// with digits and symbols around it ("password1234"), and the own e-mail address. Pure.

#include <optional>
#include <string>
#include <string_view>

namespace fairdesk::auth {

/// Why `password` is refused (a message for the field), or nullopt when it is acceptable.
std::optional<std::string> WeakPasswordReason(std::string_view password, std::string_view email);

/// Whether the bundled list holds `candidate` (compared in lower case).
bool IsCommonPassword(std::string_view candidate);

}  // namespace fairdesk::auth
