#include "catalog/catalog_codec.h"

#include <cassert>
#include <utility>

namespace tenantdb {

namespace {

constexpr uint8_t kFormat = 1;
// Schema values: format 2 stores column ids.
constexpr uint8_t kSchemaFormat = 2;
constexpr uint8_t kSchemaFormatWithoutIds = 1;

// ---- writing ----
void PutByte(std::string* out, uint8_t b) {
  out->push_back(static_cast<char>(b));
}

void PutBigEndian(std::string* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i)
    PutByte(out, static_cast<uint8_t>(v >> (8 * i)));
}

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    PutByte(out, static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  PutByte(out, static_cast<uint8_t>(v));
}

// Zig-zag, so small negative numbers stay short.
void PutSignedVarint(std::string* out, int64_t v) {
  PutVarint(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

void PutString(std::string* out, std::string_view s) {
  PutVarint(out, s.size());
  out->append(s);
}

std::string Start(CatalogRecordKind kind) {
  std::string key;
  PutByte(&key, static_cast<uint8_t>(kind));
  return key;
}

// ---- reading: every getter returns false when the input is too short or malformed ----
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool Byte(uint8_t* v) {
    if (in_.empty()) return false;
    *v = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return true;
  }
  bool BigEndian(uint64_t* v, int bytes) {
    if (in_.size() < static_cast<size_t>(bytes)) return false;
    uint64_t r = 0;
    for (int i = 0; i < bytes; ++i)
      r = (r << 8) | static_cast<uint8_t>(in_[i]);
    in_.remove_prefix(bytes);
    *v = r;
    return true;
  }
  bool Varint(uint64_t* v) {
    uint64_t r = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b;
      if (!Byte(&b)) return false;
      r |= uint64_t{b & 0x7fu} << shift;
      if ((b & 0x80) == 0) {
        *v = r;
        return true;
      }
    }
    return false;  // more than 10 bytes
  }
  bool Varint32(uint32_t* v) {
    uint64_t r;
    if (!Varint(&r) || r > UINT32_MAX) return false;
    *v = static_cast<uint32_t>(r);
    return true;
  }
  bool SignedVarint(int64_t* v) {
    uint64_t r;
    if (!Varint(&r)) return false;
    *v = static_cast<int64_t>((r >> 1) ^ (~(r & 1) + 1));
    return true;
  }
  bool String(std::string* s) {
    uint64_t n;
    if (!Varint(&n) || n > in_.size()) return false;
    s->assign(in_.data(), n);
    in_.remove_prefix(n);
    return true;
  }
  // Reads the rest up to (not including) a 0x00 byte, and consumes the 0x00.
  bool UntilZero(std::string_view* s) {
    size_t pos = in_.find('\0');
    if (pos == std::string_view::npos) return false;
    *s = in_.substr(0, pos);
    in_.remove_prefix(pos + 1);
    return true;
  }
  bool Format() {
    uint8_t f;
    return Byte(&f) && f == kFormat;
  }
  bool Format(uint8_t* f) { return Byte(f); }
  bool done() const { return in_.empty(); }
  std::string_view rest() const { return in_; }

 private:
  std::string_view in_;
};

Status Corrupt(std::string_view what) {
  return Status(ErrorCode::kCorruption,
                "catalog record " + std::string(what) +
                    " does not decode; the data directory is damaged or from a newer version");
}

template <typename Id>
Result<Id> DecodeName(std::string_view name, std::string_view what) {
  auto id = Id::Make(name);
  if (!id.ok()) return Corrupt(what);
  return std::move(id).value();
}

bool ValidTableType(uint8_t v) {
  return v >= 1 && v <= 4;
}
bool ValidAccessLevel(uint8_t v) {
  return v >= 1 && v <= 3;
}

}  // namespace

// ---- keys ----

std::string KindPrefix(CatalogRecordKind kind) {
  return Start(kind);
}

std::string NamespaceKey(const NamespaceId& ns) {
  std::string key = Start(CatalogRecordKind::kNamespace);
  key.append(ns.str());
  return key;
}

std::string TableKeyPrefix(const NamespaceId& ns) {
  std::string key = Start(CatalogRecordKind::kTable);
  key.append(ns.str());
  PutByte(&key, 0);
  return key;
}

std::string TableKey(const TableId& id) {
  std::string key = TableKeyPrefix(id.ns());
  key.append(id.table().str());
  return key;
}

std::string SchemaVersionKeyPrefix(uint32_t table_number) {
  std::string key = Start(CatalogRecordKind::kSchemaVersion);
  PutBigEndian(&key, table_number, 4);
  return key;
}

std::string SchemaVersionKey(uint32_t table_number, uint32_t version) {
  std::string key = SchemaVersionKeyPrefix(table_number);
  PutBigEndian(&key, version, 4);
  return key;
}

std::string StorageKey(const StorageId& id) {
  std::string key = Start(CatalogRecordKind::kStorage);
  key.append(id.str());
  return key;
}

std::string UserKey(const UserId& user) {
  std::string key = Start(CatalogRecordKind::kUser);
  key.append(user.str());
  return key;
}

std::string RevokedTokenKey(std::string_view token_id) {
  std::string key = Start(CatalogRecordKind::kRevokedToken);
  key.append(token_id);
  return key;
}

std::string ViewKeyPrefix(const NamespaceId& ns) {
  std::string key = Start(CatalogRecordKind::kView);
  key.append(ns.str());
  PutByte(&key, 0);
  return key;
}

std::string ViewKey(const TableId& id) {
  std::string key = ViewKeyPrefix(id.ns());
  key.append(id.table().str());
  return key;
}

std::string CounterKey(std::string_view name) {
  std::string key = Start(CatalogRecordKind::kCounter);
  key.append(name);
  return key;
}

std::string ManifestTableKeyPrefix(uint32_t table_number) {
  std::string key = Start(CatalogRecordKind::kManifestFile);
  PutBigEndian(&key, table_number, 4);
  return key;
}

std::string ManifestFileKeyPrefix(uint32_t table_number, const UserId& user) {
  std::string key = ManifestTableKeyPrefix(table_number);
  key.append(user.str());
  PutByte(&key, 0);
  return key;
}

std::string ManifestFileKey(uint32_t table_number, const UserId& user, uint64_t batch_number) {
  std::string key = ManifestFileKeyPrefix(table_number, user);
  PutBigEndian(&key, batch_number, 8);
  return key;
}

std::string ManifestCounterTableKeyPrefix(uint32_t table_number) {
  std::string key = Start(CatalogRecordKind::kManifestCounter);
  PutBigEndian(&key, table_number, 4);
  return key;
}

std::string ManifestCounterKey(uint32_t table_number, const UserId& user) {
  std::string key = ManifestCounterTableKeyPrefix(table_number);
  key.append(user.str());
  return key;
}

std::string TableByNumberKey(uint32_t table_number) {
  std::string key = Start(CatalogRecordKind::kTableByNumber);
  PutBigEndian(&key, table_number, 4);
  return key;
}

std::string PendingErasureKey(uint32_t table_number) {
  std::string key = Start(CatalogRecordKind::kPendingErasure);
  PutBigEndian(&key, table_number, 4);
  return key;
}

std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty()) {
    auto last = static_cast<uint8_t>(prefix.back());
    if (last != 0xff) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  assert(false && "PrefixEnd of an all-0xff prefix");
  return prefix;
}

Result<NamespaceId> DecodeNamespaceKey(std::string_view key) {
  if (key.empty() || key[0] != static_cast<char>(CatalogRecordKind::kNamespace)) {
    return Corrupt("namespace key");
  }
  return DecodeName<NamespaceId>(key.substr(1), "namespace key");
}

Result<TableId> DecodeTableKey(std::string_view key) {
  Reader r(key);
  uint8_t kind;
  std::string_view ns;
  if (!r.Byte(&kind) || kind != static_cast<uint8_t>(CatalogRecordKind::kTable) ||
      !r.UntilZero(&ns)) {
    return Corrupt("table key");
  }
  TDB_ASSIGN_OR_RETURN(NamespaceId n, DecodeName<NamespaceId>(ns, "table key"));
  TDB_ASSIGN_OR_RETURN(TableName t, DecodeName<TableName>(r.rest(), "table key"));
  return TableId(std::move(n), std::move(t));
}

Result<TableId> DecodeViewKey(std::string_view key) {
  Reader r(key);
  uint8_t kind;
  std::string_view ns;
  if (!r.Byte(&kind) || kind != static_cast<uint8_t>(CatalogRecordKind::kView) ||
      !r.UntilZero(&ns)) {
    return Corrupt("view key");
  }
  TDB_ASSIGN_OR_RETURN(NamespaceId n, DecodeName<NamespaceId>(ns, "view key"));
  TDB_ASSIGN_OR_RETURN(TableName t, DecodeName<TableName>(r.rest(), "view key"));
  return TableId(std::move(n), std::move(t));
}

Result<StorageId> DecodeStorageKey(std::string_view key) {
  if (key.empty() || key[0] != static_cast<char>(CatalogRecordKind::kStorage)) {
    return Corrupt("storage key");
  }
  return DecodeName<StorageId>(key.substr(1), "storage key");
}

// ---- values ----

std::string EncodeNamespaceValue(const NamespaceInfo& info) {
  std::string out;
  PutByte(&out, kFormat);
  PutSignedVarint(&out, info.created_us);
  PutVarint(&out, info.options.size());
  for (const auto& [k, v] : info.options) {
    PutString(&out, k);
    PutString(&out, v);
  }
  return out;
}

Result<NamespaceInfo> DecodeNamespaceValue(const NamespaceId& id, std::string_view value) {
  const std::string what = "of namespace " + std::string(id.str());
  Reader r(value);
  NamespaceInfo info;
  info.id = id;
  uint64_t n;
  if (!r.Format() || !r.SignedVarint(&info.created_us) || !r.Varint(&n) || n > value.size()) {
    return Corrupt(what);
  }
  for (uint64_t i = 0; i < n; ++i) {
    std::string k, v;
    if (!r.String(&k) || !r.String(&v)) return Corrupt(what);
    info.options.emplace_back(std::move(k), std::move(v));
  }
  if (!r.done()) return Corrupt(what);
  return info;
}

std::string EncodeTableValue(const TableRecord& t) {
  std::string out;
  PutByte(&out, kFormat);
  PutVarint(&out, t.table_number);
  PutByte(&out, static_cast<uint8_t>(t.type));
  PutByte(&out, static_cast<uint8_t>(t.access_level));
  PutVarint(&out, t.schema_version);
  PutString(&out, t.storage_id.str());
  PutVarint(&out, t.flush_policy.rows);
  PutVarint(&out, t.flush_policy.interval_seconds);
  PutVarint(&out, t.ttl_seconds);
  PutSignedVarint(&out, t.created_us);
  return out;
}

Result<TableRecord> DecodeTableValue(std::string_view value) {
  Reader r(value);
  TableRecord t;
  uint8_t type, access;
  std::string storage;
  if (!r.Format() || !r.Varint32(&t.table_number) || !r.Byte(&type) || !ValidTableType(type) ||
      !r.Byte(&access) || !ValidAccessLevel(access) || !r.Varint32(&t.schema_version) ||
      !r.String(&storage) || !r.Varint32(&t.flush_policy.rows) ||
      !r.Varint32(&t.flush_policy.interval_seconds) || !r.Varint32(&t.ttl_seconds) ||
      !r.SignedVarint(&t.created_us) || !r.done() || t.table_number == 0 || t.schema_version == 0) {
    return Corrupt("of a table");
  }
  t.type = static_cast<TableType>(type);
  t.access_level = static_cast<AccessLevel>(access);
  TDB_ASSIGN_OR_RETURN(t.storage_id, DecodeName<StorageId>(storage, "of a table"));
  return t;
}

std::string EncodeTableByNumberValue(const TableId& id) {
  std::string out;
  PutByte(&out, kFormat);
  PutString(&out, id.ns().str());
  PutString(&out, id.table().str());
  return out;
}

Result<TableId> DecodeTableByNumberValue(std::string_view value) {
  Reader r(value);
  std::string ns, table;
  if (!r.Format() || !r.String(&ns) || !r.String(&table) || !r.done()) {
    return Corrupt("of a table number");
  }
  TDB_ASSIGN_OR_RETURN(NamespaceId n, DecodeName<NamespaceId>(ns, "of a table number"));
  TDB_ASSIGN_OR_RETURN(TableName t, DecodeName<TableName>(table, "of a table number"));
  return TableId(std::move(n), std::move(t));
}

std::string EncodePendingErasureValue(const PendingErasure& erasure) {
  std::string out;
  PutByte(&out, kFormat);
  PutString(&out, erasure.id.ns().str());
  PutString(&out, erasure.id.table().str());
  PutByte(&out, static_cast<uint8_t>(erasure.type));
  PutString(&out, erasure.storage_id.str());
  return out;
}

Result<PendingErasure> DecodePendingErasureValue(uint32_t table_number, std::string_view value) {
  Reader r(value);
  std::string ns, table, storage;
  uint8_t type = 0;
  if (!r.Format() || !r.String(&ns) || !r.String(&table) || !r.Byte(&type) ||
      !ValidTableType(type) || !r.String(&storage) || !r.done()) {
    return Corrupt("of a pending erasure");
  }
  PendingErasure e;
  e.table_number = table_number;
  TDB_ASSIGN_OR_RETURN(NamespaceId n, DecodeName<NamespaceId>(ns, "of a pending erasure"));
  TDB_ASSIGN_OR_RETURN(TableName t, DecodeName<TableName>(table, "of a pending erasure"));
  e.id = TableId(std::move(n), std::move(t));
  e.type = static_cast<TableType>(type);
  TDB_ASSIGN_OR_RETURN(e.storage_id, DecodeName<StorageId>(storage, "of a pending erasure"));
  return e;
}

std::string EncodeUserValue(const UserRecord& user) {
  std::string out;
  PutByte(&out, static_cast<uint8_t>(user.role));  // first: older readers read only this
  PutByte(&out, kFormat);
  PutVarint(&out, user.credentials_version);
  PutSignedVarint(&out, user.created_us);
  PutString(&out, user.password_hash);
  return out;
}

Result<UserRecord> DecodeUserValue(std::string_view value) {
  Reader r(value);
  UserRecord user;
  uint8_t role = 0;
  if (!r.Byte(&role) || role < static_cast<uint8_t>(Role::kUser) ||
      role > static_cast<uint8_t>(Role::kSystem)) {
    return Corrupt("of a user (unknown role)");
  }
  user.role = static_cast<Role>(role);
  if (r.done()) return user;  // a record from before passwords: the role only
  if (!r.Format() || !r.Varint(&user.credentials_version) || !r.SignedVarint(&user.created_us) ||
      !r.String(&user.password_hash) || !r.done()) {
    return Corrupt("of a user");
  }
  return user;
}

std::string EncodeRevokedTokenValue(int64_t expires_at_unix_s) {
  std::string out;
  PutByte(&out, kFormat);
  PutSignedVarint(&out, expires_at_unix_s);
  return out;
}

Result<int64_t> DecodeRevokedTokenValue(std::string_view value) {
  Reader r(value);
  int64_t expires = 0;
  if (!r.Format() || !r.SignedVarint(&expires) || !r.done()) return Corrupt("of a revoked token");
  return expires;
}

std::string EncodeSchemaValue(const Schema& schema) {
  std::string out;
  PutByte(&out, kSchemaFormat);
  PutVarint(&out, schema.num_fields());
  for (const Field& f : schema.fields()) {
    PutVarint(&out, f.id);
    PutString(&out, f.name);
    PutByte(&out, static_cast<uint8_t>(f.type));
    // Flag 4: a NUMERIC(p,s) typmod follows the default as two bytes. Only fields that
    // have one carry it, so schemas without NUMERIC typmods encode as before.
    const bool typmod = f.numeric_precision != 0;
    PutByte(&out, static_cast<uint8_t>((f.nullable ? 1 : 0) | (f.primary_key ? 2 : 0) |
                                       (typmod ? 4 : 0)));
    PutString(&out, f.default_expr);
    if (typmod) {
      PutByte(&out, f.numeric_precision);
      PutByte(&out, f.numeric_scale);
    }
  }
  PutVarint(&out, schema.metadata().size());
  for (const auto& [k, v] : schema.metadata()) {
    PutString(&out, k);
    PutString(&out, v);
  }
  return out;
}

Result<DecodedSchema> DecodeSchemaValue(std::string_view value) {
  Reader r(value);
  DecodedSchema s;
  uint64_t n;
  uint8_t format;
  // Every field takes at least 4 bytes, so a count above the value's size is damage.
  if (!r.Format(&format) || (format != kSchemaFormat && format != kSchemaFormatWithoutIds) ||
      !r.Varint(&n) || n > value.size()) {
    return Corrupt("of a schema version");
  }
  s.fields.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    Field f;
    uint8_t type, flags;
    if (format == kSchemaFormatWithoutIds) {
      f.id = static_cast<uint32_t>(i + 1);
    } else if (!r.Varint32(&f.id) || f.id == 0) {
      return Corrupt("of a schema version");
    }
    if (!r.String(&f.name) || !r.Byte(&type) || !IsValidDataType(type) || !r.Byte(&flags) ||
        flags > 7 || !r.String(&f.default_expr)) {
      return Corrupt("of a schema version");
    }
    if ((flags & 4) != 0 &&
        (!r.Byte(&f.numeric_precision) || !r.Byte(&f.numeric_scale) ||
         static_cast<DataType>(type) != DataType::kNumeric || f.numeric_precision == 0 ||
         f.numeric_precision > kNumericMaxPrecision || f.numeric_scale > f.numeric_precision)) {
      return Corrupt("of a schema version");
    }
    f.type = static_cast<DataType>(type);
    f.nullable = (flags & 1) != 0;
    f.primary_key = (flags & 2) != 0;
    s.fields.push_back(std::move(f));
  }
  if (!r.Varint(&n) || n > value.size()) return Corrupt("of a schema version");
  for (uint64_t i = 0; i < n; ++i) {
    std::string k, v;
    if (!r.String(&k) || !r.String(&v)) return Corrupt("of a schema version");
    s.metadata.emplace_back(std::move(k), std::move(v));
  }
  if (!r.done()) return Corrupt("of a schema version");
  return s;
}

std::string EncodeStorageValue(const StorageSpec& spec) {
  std::string out;
  PutByte(&out, kFormat);
  PutString(&out, spec.base_directory);
  PutString(&out, spec.user_template);
  PutString(&out, spec.shared_template);
  return out;
}

Result<StorageSpec> DecodeStorageValue(const StorageId& id, std::string_view value) {
  Reader r(value);
  StorageSpec spec;
  spec.id = id;
  if (!r.Format() || !r.String(&spec.base_directory) || !r.String(&spec.user_template) ||
      !r.String(&spec.shared_template) || !r.done()) {
    return Corrupt("of storage " + std::string(id.str()));
  }
  return spec;
}

std::string EncodeCounterValue(uint64_t value) {
  std::string out;
  PutBigEndian(&out, value, 8);
  return out;
}

Result<uint64_t> DecodeCounterValue(std::string_view value) {
  Reader r(value);
  uint64_t v;
  if (!r.BigEndian(&v, 8) || !r.done()) return Corrupt("of a counter");
  return v;
}

std::string EncodeManifestFileValue(const ManifestFile& f) {
  std::string out;
  PutByte(&out, kFormat);
  PutVarint(&out, f.batch_number);
  PutString(&out, f.file_name);
  PutVarint(&out, f.row_count);
  PutString(&out, f.min_key);
  PutString(&out, f.max_key);
  PutVarint(&out, f.min_seq);
  PutVarint(&out, f.max_seq);
  PutSignedVarint(&out, f.created_us);
  return out;
}

Result<ManifestFile> DecodeManifestFileValue(std::string_view value) {
  Reader r(value);
  ManifestFile f;
  if (!r.Format() || !r.Varint(&f.batch_number) || !r.String(&f.file_name) ||
      !r.Varint(&f.row_count) || !r.String(&f.min_key) || !r.String(&f.max_key) ||
      !r.Varint(&f.min_seq) || !r.Varint(&f.max_seq) || !r.SignedVarint(&f.created_us) ||
      !r.done()) {
    return Corrupt("of a flush manifest");
  }
  return f;
}

std::string EncodeViewValue(const ViewRecord& view) {
  std::string out;
  PutByte(&out, kFormat);
  PutString(&out, view.query);
  PutString(&out, view.base_namespace);
  PutVarint(&out, view.columns.size());
  for (const auto& [name, type] : view.columns) {
    PutString(&out, name);
    PutByte(&out, static_cast<uint8_t>(type));
  }
  PutVarint(&out, view.depends_on.size());
  for (const std::string& d : view.depends_on)
    PutString(&out, d);
  PutSignedVarint(&out, view.created_us);
  return out;
}

Result<ViewRecord> DecodeViewValue(std::string_view value) {
  Reader r(value);
  ViewRecord view;
  uint64_t columns = 0;
  if (!r.Format() || !r.String(&view.query) || !r.String(&view.base_namespace) ||
      !r.Varint(&columns) || columns > value.size()) {
    return Corrupt("of a view");
  }
  for (uint64_t i = 0; i < columns; ++i) {
    std::string name;
    uint8_t type = 0;
    if (!r.String(&name) || !r.Byte(&type) || !IsValidDataType(type)) return Corrupt("of a view");
    view.columns.emplace_back(std::move(name), static_cast<DataType>(type));
  }
  uint64_t depends = 0;
  if (!r.Varint(&depends) || depends > value.size()) return Corrupt("of a view");
  for (uint64_t i = 0; i < depends; ++i) {
    std::string d;
    if (!r.String(&d)) return Corrupt("of a view");
    view.depends_on.push_back(std::move(d));
  }
  if (!r.SignedVarint(&view.created_us) || !r.done()) return Corrupt("of a view");
  return view;
}

std::string IndexKey(const NamespaceId& ns, std::string_view index_name) {
  std::string key = Start(CatalogRecordKind::kIndex);
  key.append(ns.str());
  PutByte(&key, 0);
  key.append(index_name);
  return key;
}

Result<std::pair<NamespaceId, std::string>> DecodeIndexKey(std::string_view key) {
  Reader r(key);
  uint8_t kind;
  std::string_view ns;
  if (!r.Byte(&kind) || kind != static_cast<uint8_t>(CatalogRecordKind::kIndex) ||
      !r.UntilZero(&ns)) {
    return Corrupt("index key");
  }
  TDB_ASSIGN_OR_RETURN(NamespaceId n, DecodeName<NamespaceId>(ns, "index key"));
  return std::make_pair(std::move(n), std::string(r.rest()));
}

std::string EncodeIndexValue(const IndexRecord& index) {
  std::string out;
  PutByte(&out, kFormat);
  PutString(&out, index.table);
  PutVarint(&out, index.table_number);
  PutVarint(&out, index.index_number);
  PutByte(&out, index.constraint ? 2 : index.unique ? 1 : 0);
  PutByte(&out, index.ready ? 1 : 0);
  PutVarint(&out, index.column_ids.size());
  for (uint32_t id : index.column_ids)
    PutVarint(&out, id);
  PutSignedVarint(&out, index.created_us);
  return out;
}

Result<IndexRecord> DecodeIndexValue(std::string_view value) {
  Reader r(value);
  IndexRecord index;
  uint64_t table_number = 0, index_number = 0, columns = 0;
  uint8_t unique = 0, ready = 0;
  if (!r.Format() || !r.String(&index.table) || !r.Varint(&table_number) ||
      !r.Varint(&index_number) || !r.Byte(&unique) || !r.Byte(&ready) || unique > 2 || ready > 1 ||
      !r.Varint(&columns) || columns > value.size() || table_number > UINT32_MAX ||
      index_number > UINT32_MAX) {
    return Corrupt("of an index");
  }
  index.table_number = static_cast<uint32_t>(table_number);
  index.index_number = static_cast<uint32_t>(index_number);
  index.unique = unique >= 1;
  index.constraint = unique == 2;
  index.ready = ready == 1;
  for (uint64_t i = 0; i < columns; ++i) {
    uint64_t id = 0;
    if (!r.Varint(&id) || id > UINT32_MAX) return Corrupt("of an index");
    index.column_ids.push_back(static_cast<uint32_t>(id));
  }
  if (!r.SignedVarint(&index.created_us) || !r.done()) return Corrupt("of an index");
  return index;
}

std::string ChecksKey(uint32_t table_number) {
  std::string key = Start(CatalogRecordKind::kChecks);
  PutBigEndian(&key, table_number, 4);
  return key;
}

Result<uint32_t> DecodeChecksKey(std::string_view key) {
  Reader r(key);
  uint8_t kind;
  uint64_t number;
  if (!r.Byte(&kind) || kind != static_cast<uint8_t>(CatalogRecordKind::kChecks) ||
      !r.BigEndian(&number, 4) || !r.done()) {
    return Corrupt("check constraints key");
  }
  return static_cast<uint32_t>(number);
}

std::string EncodeChecksValue(const std::vector<CheckConstraint>& checks) {
  std::string out;
  PutByte(&out, kFormat);
  PutVarint(&out, checks.size());
  for (const CheckConstraint& c : checks) {
    PutString(&out, c.name);
    PutString(&out, c.expr);
    PutVarint(&out, c.column_ids.size());
    for (uint32_t id : c.column_ids)
      PutVarint(&out, id);
  }
  return out;
}

Result<std::vector<CheckConstraint>> DecodeChecksValue(std::string_view value) {
  Reader r(value);
  uint64_t count = 0;
  if (!r.Format() || !r.Varint(&count) || count > value.size()) return Corrupt("of checks");
  std::vector<CheckConstraint> checks(count);
  for (CheckConstraint& c : checks) {
    uint64_t columns = 0;
    if (!r.String(&c.name) || !r.String(&c.expr) || !r.Varint(&columns) || columns > value.size()) {
      return Corrupt("of checks");
    }
    for (uint64_t i = 0; i < columns; ++i) {
      uint32_t id = 0;
      if (!r.Varint32(&id)) return Corrupt("of checks");
      c.column_ids.push_back(id);
    }
  }
  if (!r.done()) return Corrupt("of checks");
  return checks;
}

}  // namespace tenantdb
