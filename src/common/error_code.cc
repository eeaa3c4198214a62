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
    {"undefined_table", "42P01"},
    {"undefined_column", "42703"},
    {"ambiguous_column", "42702"},
    {"undefined_function", "42883"},
    {"division_by_zero", "22012"},
    {"not_null_violation", "23502"},
    {"unique_violation", "23505"},
    {"insufficient_privilege", "42501"},
    {"invalid_text_representation", "22P02"},
    {"grouping_error", "42803"},
    {"cardinality_violation", "21000"},
    {"invalid_transaction_state", "25000"},
    {"datetime_field_overflow", "22008"},
    {"serialization_failure", "40001"},
    {"character_not_in_repertoire", "22021"},
    {"disk_full", "53100"},
    {"object_in_use", "55006"},
    {"read_only_sql_transaction", "25006"},
    {"query_canceled", "57014"},
    {"out_of_memory", "53200"},
    {"invalid_password", "28P01"},
    {"invalid_authorization_specification", "28000"},
    {"config_file_error", "F0000"},
    {"rate_limited", "53400"},
    {"too_many_connections", "53300"},
    {"request_too_large", "54000"},
    {"admin_shutdown", "57P01"},
    {"invalid_request", "08P01"},
    {"undefined_parameter", "42P02"},
    {"invalid_recursion", "42P19"},
    {"invalid_column_reference", "42P10"},
    {"duplicate_alias", "42712"},
    {"windowing_error", "42P20"},
    {"deadlock_detected", "40P01"},
    {"lock_not_available", "55P03"},
    {"wrong_object_type", "42809"},
    {"dependent_objects_still_exist", "2BP01"},
    {"invalid_object_definition", "42P17"},
    {"duplicate_column", "42701"},
    {"invalid_preceding_or_following_size", "22013"},
    {"null_value_not_allowed", "22004"},
    {"duplicate_table", "42P07"},
    {"check_violation", "23514"},
    {"program_limit_exceeded", "54000"},
};
static_assert(std::size(kCodeInfo) == static_cast<size_t>(kLastErrorCode) + 1);

}  // namespace

std::string_view ErrorCodeName(ErrorCode code) {
  return kCodeInfo[static_cast<size_t>(code)].name;
}

std::string_view ErrorCodeSqlState(ErrorCode code) {
  return kCodeInfo[static_cast<size_t>(code)].sqlstate;
}

}  // namespace tenantdb
