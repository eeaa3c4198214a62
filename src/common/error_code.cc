#include "common/error_code.h"

namespace tenantdb {

namespace {

struct CodeInfo {
  std::string_view name;
  std::string_view sqlstate;
};

// Indexed by ErrorCode; the static_assert below keeps the table and the enum in step.
constexpr CodeInfo kCodeInfo[] = {
    {"ok", "00000"},
    {"invalid_argument", "22023"},
    {"invalid_identifier", "42602"},
    {"name_too_long", "42622"},
    {"reserved_name", "42939"},
    {"invalid_path_template", "22023"},
    {"not_found", "42704"},
    {"already_exists", "42710"},
    {"type_mismatch", "42804"},
    {"numeric_out_of_range", "22003"},
    {"internal_error", "XX000"},
    {"io_error", "58030"},
    {"data_corrupted", "XX001"},
    {"syntax_error", "42601"},
    {"feature_not_supported", "0A000"},
};
static_assert(std::size(kCodeInfo) == static_cast<size_t>(ErrorCode::kFeatureNotSupported) + 1);

}  // namespace

std::string_view ErrorCodeName(ErrorCode code) {
  return kCodeInfo[static_cast<size_t>(code)].name;
}

std::string_view ErrorCodeSqlState(ErrorCode code) {
  return kCodeInfo[static_cast<size_t>(code)].sqlstate;
}

}  // namespace tenantdb
