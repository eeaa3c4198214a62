#include "sql/parser/pg_query_tree.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

namespace tenantdb::sql {

void PgParseResultDeleter::operator()(PgQuery__ParseResult* result) const {
  if (result != nullptr) pg_query__parse_result__free_unpacked(result, nullptr);
}

namespace {

// Frees libpg_query's serialized result on every path out of ParsePostgres.
struct ProtobufResultGuard {
  PgQueryProtobufParseResult result;
  ~ProtobufResultGuard() { pg_query_free_protobuf_parse_result(result); }
};

}  // namespace

Result<PgParseTree> ParsePostgres(const std::string& sql, int char_base) {
  ProtobufResultGuard guard{pg_query_parse_protobuf(sql.c_str())};
  if (guard.result.error != nullptr) {
    const PgQueryError* err = guard.result.error;
    std::string message = err->message != nullptr ? err->message : "syntax error";
    if (err->cursorpos > 0) {
      message += " at position " + std::to_string(char_base + err->cursorpos);
    }
    // libpg_query reports no SQLSTATE. Its scanner checks the bytes that escapes in E''
    // strings make (E'\xff'); that is PostgreSQL's 22021, not a syntax error.
    if (message.starts_with("invalid byte sequence for encoding")) {
      return Status(ErrorCode::kCharacterNotInRepertoire,
                    std::move(message) + "; text must be valid UTF-8");
    }
    return Status(ErrorCode::kSyntaxError, std::move(message));
  }
  PgQuery__ParseResult* tree = pg_query__parse_result__unpack(
      nullptr, guard.result.parse_tree.len,
      reinterpret_cast<const uint8_t*>(guard.result.parse_tree.data));
  if (tree == nullptr) {
    return Status(ErrorCode::kInternal, "libpg_query returned a parse tree that does not decode");
  }
  return PgParseTree(tree);
}

}  // namespace tenantdb::sql
