#include "platform/core/access.hpp"

#include <array>

namespace fairdesk {
namespace {
constexpr std::array kRoles = {Role::kAdvisor,          Role::kCentreLead, Role::kStateCoordinator,
                               Role::kCompetenceCentre, Role::kProgramme,  Role::kAdmin};
constexpr std::array<std::string_view, 6> kNames = {"advisor",           "centre_lead", "state_coordinator",
                                                    "competence_centre", "programme",   "admin"};
}  // namespace

std::string_view RoleName(Role role) { return kNames.at(static_cast<std::size_t>(role)); }

std::optional<Role> ParseRole(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) {
      return kRoles[i];
    }
  }
  return std::nullopt;
}

std::span<const Role> AllRoles() { return kRoles; }

bool HasCaseAccess(Role role) {
  return role == Role::kAdvisor || role == Role::kCentreLead || role == Role::kCompetenceCentre;
}

}  // namespace fairdesk
