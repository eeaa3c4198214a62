#include "catalog/role.h"

#include <string>

#include <cctype>

namespace tenantdb {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kUser:
      return "user";
    case Role::kService:
      return "service";
    case Role::kDba:
      return "dba";
    case Role::kSystem:
      return "system";
  }
  return "?";
}

std::optional<Role> BuiltinUserRole(std::string_view user_id) {
  if (user_id == kRootUserId || user_id == "system") return Role::kSystem;
  return std::nullopt;
}

Result<Role> ParseRole(std::string_view text) {
  std::string lower(text);
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (Role role : {Role::kUser, Role::kService, Role::kDba, Role::kSystem}) {
    if (lower == RoleName(role)) return role;
  }
  return Status(ErrorCode::kInvalidArgument,
                "unknown role '" + std::string(text) + "'; use user, service, dba or system");
}

}  // namespace tenantdb
