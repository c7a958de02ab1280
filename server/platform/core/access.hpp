#pragma once
/// Roles of PRODUCT.md §1 and the signed-in principal every endpoint checks.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace fairdesk {

enum class Role { kAdvisor, kCentreLead, kStateCoordinator, kCompetenceCentre, kProgramme, kAdmin };

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
std::span<const Role> AllRoles();

/// Roles that see case content of their own centre (advisors, centre leads, and the competence
/// centre, which advises clients directly as a centre of its own).
bool HasCaseAccess(Role role);

/// Who is making a request. Set by the authenticator from the session cookie.
struct Principal {
  std::string user_id;
  Role role = Role::kAdvisor;
  std::optional<std::string> centre_id;
  std::optional<std::string> state;  // federal state of the user's centre or coordination
  std::string session_id;
  std::string csrf_token;
  std::string language = "de";
};

}  // namespace fairdesk
