#include "storage/changes/change_codec.h"

#include "storage/hot/key_codec.h"
#include "storage/hot/row_codec.h"

namespace tenantdb {

namespace {

constexpr uint8_t kFormat = 1;

Status Corrupt(std::string_view what) {
  return Status(ErrorCode::kCorruption, "a change log record " + std::string(what));
}

void PutBytes(std::string_view bytes, std::string* out) {
  PutVarint64(bytes.size(), out);
  out->append(bytes);
}

bool GetBytes(std::string_view* in, std::string_view* bytes) {
  uint64_t n = 0;
  if (!GetVarint64(in, &n) || n > in->size()) return false;
  *bytes = in->substr(0, n);
  in->remove_prefix(n);
  return true;
}

Result<std::vector<Value>> DecodeLive(const HotTable& table, std::string_view bytes) {
  TDB_ASSIGN_OR_RETURN(DecodedRow row,
                       DecodeRow(bytes, *table.schema(), table.schema_version(), table.lookup()));
  if (row.header.kind != RowKind::kLive) return Corrupt("holds a tombstone as a row");
  return std::move(row.values);
}

}  // namespace

std::string ChangeKey(std::string_view slice_prefix, uint64_t seq) {
  std::string key;
  key.reserve(slice_prefix.size() + 8);
  key.append(slice_prefix);
  for (int shift = 56; shift >= 0; shift -= 8)
    key.push_back(static_cast<char>((seq >> shift) & 0xFF));
  return key;
}

Result<uint64_t> ChangeKeySeq(std::string_view key, std::string_view* slice_prefix) {
  if (key.size() < 8 + 4) return Corrupt("key is too short");
  uint64_t seq = 0;
  for (size_t i = key.size() - 8; i < key.size(); ++i)
    seq = (seq << 8) | static_cast<uint8_t>(key[i]);
  if (slice_prefix != nullptr) *slice_prefix = key.substr(0, key.size() - 8);
  return seq;
}

void EncodeChangeValue(const EncodedChange& change, std::string* out) {
  out->push_back(static_cast<char>(kFormat));
  out->push_back(static_cast<char>(change.type));
  PutVarint64(static_cast<uint64_t>(change.commit_micros), out);
  PutBytes(change.key_columns, out);
  PutBytes(change.new_row, out);
  PutBytes(change.old_row, out);
}

Result<EncodedChange> ParseChangeValue(std::string_view value) {
  if (value.size() < 2) return Corrupt("is truncated");
  if (static_cast<uint8_t>(value[0]) != kFormat) return Corrupt("has an unknown format");
  EncodedChange change;
  const auto type = static_cast<uint8_t>(value[1]);
  if (type < static_cast<uint8_t>(ChangeType::kInsert) ||
      type > static_cast<uint8_t>(ChangeType::kDelete)) {
    return Corrupt("has an unknown change type");
  }
  change.type = static_cast<ChangeType>(type);
  value.remove_prefix(2);
  uint64_t micros = 0;
  if (!GetVarint64(&value, &micros) || !GetBytes(&value, &change.key_columns) ||
      !GetBytes(&value, &change.new_row) || !GetBytes(&value, &change.old_row) || !value.empty()) {
    return Corrupt("is truncated or too long");
  }
  change.commit_micros = static_cast<int64_t>(micros);
  return change;
}

Result<ChangeRecord> DecodeChange(const HotTable& table, uint64_t seq,
                                  const EncodedChange& change) {
  ChangeRecord record;
  record.seq = seq;
  record.type = change.type;
  record.commit_micros = change.commit_micros;
  TDB_ASSIGN_OR_RETURN(record.key, DecodeKeyColumns(table.key_types(), change.key_columns));
  if (!change.new_row.empty()) {
    TDB_ASSIGN_OR_RETURN(record.row, DecodeLive(table, change.new_row));
  }
  if (!change.old_row.empty()) {
    TDB_ASSIGN_OR_RETURN(record.old_row, DecodeLive(table, change.old_row));
  }
  return record;
}

}  // namespace tenantdb
