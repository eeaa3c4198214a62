#include "storage/cold/parquet_metadata.h"

#include "storage/cold/parquet_thrift_fields.h"

namespace tenantdb::parquet {

namespace {

// ---- writing ----

void WriteStatistics(W& w, const Statistics& s) {
  if (s.max) w.FieldBinary(1, *s.max);
  if (s.min) w.FieldBinary(2, *s.min);
  if (s.null_count) w.FieldI64(3, *s.null_count);
  if (s.distinct_count) w.FieldI64(4, *s.distinct_count);
  if (s.max_value) w.FieldBinary(5, *s.max_value);
  if (s.min_value) w.FieldBinary(6, *s.min_value);
  if (s.is_max_value_exact) w.FieldBool(7, *s.is_max_value_exact);
  if (s.is_min_value_exact) w.FieldBool(8, *s.is_min_value_exact);
  if (s.nan_count) w.FieldI64(9, *s.nan_count);
}

void WriteTimeUnit(W& w, int16_t id, TimeUnit unit) {
  w.FieldStructBegin(id);
  w.FieldStructBegin(unit == TimeUnit::kMillis ? 1 : unit == TimeUnit::kMicros ? 2 : 3);
  w.StructEnd();
  w.StructEnd();
}

void WriteLogicalType(W& w, const LogicalType& t) {
  using K = LogicalType::Kind;
  auto empty_member = [&w](int16_t id) {
    w.FieldStructBegin(id);
    w.StructEnd();
  };
  w.FieldStructBegin(10);
  switch (t.kind) {
    case K::kString:
      empty_member(1);
      break;
    case K::kMap:
      empty_member(2);
      break;
    case K::kList:
      empty_member(3);
      break;
    case K::kEnum:
      empty_member(4);
      break;
    case K::kDecimal:
      w.FieldStructBegin(5);
      w.FieldI32(1, t.decimal_scale);
      w.FieldI32(2, t.decimal_precision);
      w.StructEnd();
      break;
    case K::kDate:
      empty_member(6);
      break;
    case K::kTime:
    case K::kTimestamp:
      w.FieldStructBegin(t.kind == K::kTime ? 7 : 8);
      w.FieldBool(1, t.is_adjusted_to_utc);
      WriteTimeUnit(w, 2, t.unit);
      w.StructEnd();
      break;
    case K::kInteger:
      w.FieldStructBegin(10);
      w.FieldI8(1, t.bit_width);
      w.FieldBool(2, t.is_signed);
      w.StructEnd();
      break;
    case K::kUnknown:
      empty_member(11);
      break;
    case K::kJson:
      empty_member(12);
      break;
    case K::kBson:
      empty_member(13);
      break;
    case K::kUuid:
      empty_member(14);
      break;
    case K::kFloat16:
      empty_member(15);
      break;
    case K::kNone:
    case K::kOther:
      break;
  }
  w.StructEnd();
}

void WriteSchemaElement(W& w, const SchemaElement& e) {
  w.ElemStructBegin();
  if (e.type) w.FieldI32(1, static_cast<int32_t>(*e.type));
  if (e.type_length) w.FieldI32(2, *e.type_length);
  if (e.repetition) w.FieldI32(3, static_cast<int32_t>(*e.repetition));
  w.FieldBinary(4, e.name);
  if (e.num_children) w.FieldI32(5, *e.num_children);
  if (e.converted_type) w.FieldI32(6, static_cast<int32_t>(*e.converted_type));
  if (e.scale) w.FieldI32(7, *e.scale);
  if (e.precision) w.FieldI32(8, *e.precision);
  if (e.field_id) w.FieldI32(9, *e.field_id);
  if (e.logical_type.kind != LogicalType::Kind::kNone &&
      e.logical_type.kind != LogicalType::Kind::kOther) {
    WriteLogicalType(w, e.logical_type);
  }
  w.StructEnd();
}

void WriteKeyValues(W& w, int16_t id, const std::vector<KeyValue>& kvs) {
  w.FieldListBegin(id, ThriftType::kStruct, kvs.size());
  for (const KeyValue& kv : kvs) {
    w.ElemStructBegin();
    w.FieldBinary(1, kv.key);
    if (kv.value) w.FieldBinary(2, *kv.value);
    w.StructEnd();
  }
}

void WriteColumnMetaData(W& w, const ColumnMetaData& m) {
  w.FieldStructBegin(3);
  w.FieldI32(1, static_cast<int32_t>(m.type));
  w.FieldListBegin(2, ThriftType::kI32, m.encodings.size());
  for (Encoding e : m.encodings)
    w.ElemI32(static_cast<int32_t>(e));
  w.FieldListBegin(3, ThriftType::kBinary, m.path_in_schema.size());
  for (const std::string& p : m.path_in_schema)
    w.ElemBinary(p);
  w.FieldI32(4, static_cast<int32_t>(m.codec));
  w.FieldI64(5, m.num_values);
  w.FieldI64(6, m.total_uncompressed_size);
  w.FieldI64(7, m.total_compressed_size);
  w.FieldI64(9, m.data_page_offset);
  if (m.index_page_offset) w.FieldI64(10, *m.index_page_offset);
  if (m.dictionary_page_offset) w.FieldI64(11, *m.dictionary_page_offset);
  if (m.statistics) {
    w.FieldStructBegin(12);
    WriteStatistics(w, *m.statistics);
    w.StructEnd();
  }
  w.StructEnd();
}

// ---- reading ----

Status ReadStatistics(R& r, Statistics* s) {
  auto bin = [&r](ThriftType t, std::string* v) { return r.ReadBinary(t, v); };
  auto i64 = [&r](ThriftType t, int64_t* v) { return r.ReadI64(t, v); };
  auto boolean = [&r](ThriftType t, bool* v) { return r.ReadBool(t, v); };
  TDB_PQ_FIELDS_BEGIN(r)
  case 1:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &s->max, bin));
    break;
  case 2:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &s->min, bin));
    break;
  case 3:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &s->null_count, i64));
    break;
  case 4:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &s->distinct_count, i64));
    break;
  case 5:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &s->max_value, bin));
    break;
  case 6:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &s->min_value, bin));
    break;
  case 7:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &s->is_max_value_exact, boolean));
    break;
  case 8:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &s->is_min_value_exact, boolean));
    break;
  case 9:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &s->nan_count, i64));
    break;
    TDB_PQ_FIELDS_END(r)
    return Status::Ok();
}

// Reads the TimeUnit union (a struct whose single set field names the unit).
Status ReadTimeUnit(R& r, TimeUnit* unit) {
  TDB_PQ_FIELDS_BEGIN(r)
  case 1:
    *unit = TimeUnit::kMillis;
    TDB_RETURN_IF_ERROR(r.Skip(t));
    break;
  case 2:
    *unit = TimeUnit::kMicros;
    TDB_RETURN_IF_ERROR(r.Skip(t));
    break;
  case 3:
    *unit = TimeUnit::kNanos;
    TDB_RETURN_IF_ERROR(r.Skip(t));
    break;
    TDB_PQ_FIELDS_END(r)
    return Status::Ok();
}

Status ReadTimeLike(R& r, LogicalType* lt) {
  TDB_PQ_FIELDS_BEGIN(r)
  case 1:
    TDB_RETURN_IF_ERROR(r.ReadBool(t, &lt->is_adjusted_to_utc));
    break;
  case 2:
    if (t != ThriftType::kStruct) return Missing("TimestampType", "unit struct");
    TDB_RETURN_IF_ERROR(ReadTimeUnit(r, &lt->unit));
    break;
    TDB_PQ_FIELDS_END(r)
    return Status::Ok();
}

Status ReadLogicalType(R& r, LogicalType* lt) {
  using K = LogicalType::Kind;
  TDB_PQ_FIELDS_BEGIN(r)
  case 5: {
    if (t != ThriftType::kStruct) return Missing("LogicalType", "DecimalType struct");
    lt->kind = K::kDecimal;
    TDB_PQ_FIELDS_BEGIN(r)
    case 1:
      TDB_RETURN_IF_ERROR(r.ReadI32(t, &lt->decimal_scale));
      break;
    case 2:
      TDB_RETURN_IF_ERROR(r.ReadI32(t, &lt->decimal_precision));
      break;
      TDB_PQ_FIELDS_END(r)
      break;
  }
  case 7:
  case 8:
    if (t != ThriftType::kStruct) return Missing("LogicalType", "time struct");
    lt->kind = id == 7 ? K::kTime : K::kTimestamp;
    TDB_RETURN_IF_ERROR(ReadTimeLike(r, lt));
    break;
  case 10: {
    if (t != ThriftType::kStruct) return Missing("LogicalType", "IntType struct");
    lt->kind = K::kInteger;
    TDB_PQ_FIELDS_BEGIN(r)
    case 1:
      TDB_RETURN_IF_ERROR(r.ReadI8(t, &lt->bit_width));
      break;
    case 2:
      TDB_RETURN_IF_ERROR(r.ReadBool(t, &lt->is_signed));
      break;
      TDB_PQ_FIELDS_END(r)
      break;
  }
  default: {
    static constexpr K kEmpty[] = {
        K::kNone, K::kString, K::kMap,  K::kList,    K::kEnum, K::kNone, K::kDate, K::kNone,
        K::kNone, K::kNone,   K::kNone, K::kUnknown, K::kJson, K::kBson, K::kUuid, K::kFloat16};
    lt->kind = (id > 0 && id < 16 && kEmpty[id] != K::kNone) ? kEmpty[id] : K::kOther;
    TDB_RETURN_IF_ERROR(r.Skip(t));
    break;
  }
}
}
return Status::Ok();
}

Status ReadSchemaElement(R& r, SchemaElement* e) {
  bool has_name = false;
  auto i32 = [&r](ThriftType t, int32_t* v) { return r.ReadI32(t, v); };
  TDB_PQ_FIELDS_BEGIN(r)
  case 1:
    TDB_RETURN_IF_ERROR(ReadEnum(r, t, &e->type));
    break;
  case 2:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &e->type_length, i32));
    break;
  case 3:
    TDB_RETURN_IF_ERROR(ReadEnum(r, t, &e->repetition));
    break;
  case 4:
    TDB_RETURN_IF_ERROR(r.ReadBinary(t, &e->name));
    has_name = true;
    break;
  case 5:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &e->num_children, i32));
    break;
  case 6:
    TDB_RETURN_IF_ERROR(ReadEnum(r, t, &e->converted_type));
    break;
  case 7:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &e->scale, i32));
    break;
  case 8:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &e->precision, i32));
    break;
  case 9:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &e->field_id, i32));
    break;
  case 10:
    if (t != ThriftType::kStruct) return Missing("SchemaElement", "LogicalType struct");
    TDB_RETURN_IF_ERROR(ReadLogicalType(r, &e->logical_type));
    break;
    TDB_PQ_FIELDS_END(r)
    if (!has_name) return Missing("SchemaElement", "name");
    return Status::Ok();
}

Status ReadKeyValue(R& r, KeyValue* kv) {
  bool has_key = false;
  auto bin = [&r](ThriftType t, std::string* v) { return r.ReadBinary(t, v); };
  TDB_PQ_FIELDS_BEGIN(r)
  case 1:
    TDB_RETURN_IF_ERROR(r.ReadBinary(t, &kv->key));
    has_key = true;
    break;
  case 2:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &kv->value, bin));
    break;
    TDB_PQ_FIELDS_END(r)
    if (!has_key) return Missing("KeyValue", "key");
    return Status::Ok();
}

Status ReadColumnMetaData(R& r, ColumnMetaData* m) {
  uint32_t seen = 0;
  auto i64 = [&r](ThriftType t, int64_t* v) { return r.ReadI64(t, v); };
  TDB_PQ_FIELDS_BEGIN(r)
  case 1:
    TDB_RETURN_IF_ERROR(ReadEnum(r, t, &m->type));
    seen |= 1;
    break;
  case 2:
    TDB_RETURN_IF_ERROR(ReadList(r, t, &m->encodings,
                                 [&r](ThriftType e, Encoding* v) { return ReadEnum(r, e, v); }));
    break;
  case 3:
    TDB_RETURN_IF_ERROR(ReadList(r, t, &m->path_in_schema, [&r](ThriftType e, std::string* v) {
      return r.ReadBinary(e, v);
    }));
    break;
  case 4:
    TDB_RETURN_IF_ERROR(ReadEnum(r, t, &m->codec));
    seen |= 2;
    break;
  case 5:
    TDB_RETURN_IF_ERROR(r.ReadI64(t, &m->num_values));
    seen |= 4;
    break;
  case 6:
    TDB_RETURN_IF_ERROR(r.ReadI64(t, &m->total_uncompressed_size));
    break;
  case 7:
    TDB_RETURN_IF_ERROR(r.ReadI64(t, &m->total_compressed_size));
    seen |= 8;
    break;
  case 9:
    TDB_RETURN_IF_ERROR(r.ReadI64(t, &m->data_page_offset));
    seen |= 16;
    break;
  case 10:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &m->index_page_offset, i64));
    break;
  case 11:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &m->dictionary_page_offset, i64));
    break;
  case 12:
    if (t != ThriftType::kStruct) return Missing("ColumnMetaData", "Statistics struct");
    m->statistics.emplace();
    TDB_RETURN_IF_ERROR(ReadStatistics(r, &*m->statistics));
    break;
    TDB_PQ_FIELDS_END(r)
    if (seen != 31) {
      return Missing("ColumnMetaData",
                     "type, codec, num_values, total_compressed_size or data_page_offset");
    }
    return Status::Ok();
}

Status ReadColumnChunk(R& r, ColumnChunk* c) {
  auto bin = [&r](ThriftType t, std::string* v) { return r.ReadBinary(t, v); };
  auto i64 = [&r](ThriftType t, int64_t* v) { return r.ReadI64(t, v); };
  auto i32 = [&r](ThriftType t, int32_t* v) { return r.ReadI32(t, v); };
  TDB_PQ_FIELDS_BEGIN(r)
  case 4:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &c->offset_index_offset, i64));
    break;
  case 5:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &c->offset_index_length, i32));
    break;
  case 6:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &c->column_index_offset, i64));
    break;
  case 7:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &c->column_index_length, i32));
    break;
  case 1:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &c->file_path, bin));
    break;
  case 2:
    TDB_RETURN_IF_ERROR(r.ReadI64(t, &c->file_offset));
    break;
  case 3:
    if (t != ThriftType::kStruct) return Missing("ColumnChunk", "ColumnMetaData struct");
    c->meta_data.emplace();
    TDB_RETURN_IF_ERROR(ReadColumnMetaData(r, &*c->meta_data));
    break;
    TDB_PQ_FIELDS_END(r)
    return Status::Ok();
}

Status ReadRowGroup(R& r, RowGroup* g) {
  bool has_rows = false;
  auto i64 = [&r](ThriftType t, int64_t* v) { return r.ReadI64(t, v); };
  auto i16 = [&r](ThriftType t, int16_t* v) { return r.ReadI16(t, v); };
  TDB_PQ_FIELDS_BEGIN(r)
  case 1:
    TDB_RETURN_IF_ERROR(ReadList(r, t, &g->columns, [&r](ThriftType e, ColumnChunk* c) {
      if (e != ThriftType::kStruct) return Missing("RowGroup", "ColumnChunk structs");
      return ReadColumnChunk(r, c);
    }));
    break;
  case 2:
    TDB_RETURN_IF_ERROR(r.ReadI64(t, &g->total_byte_size));
    break;
  case 3:
    TDB_RETURN_IF_ERROR(r.ReadI64(t, &g->num_rows));
    has_rows = true;
    break;
  case 5:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &g->file_offset, i64));
    break;
  case 6:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &g->total_compressed_size, i64));
    break;
  case 7:
    TDB_RETURN_IF_ERROR(ReadOpt(t, &g->ordinal, i16));
    break;
    TDB_PQ_FIELDS_END(r)
    if (!has_rows) return Missing("RowGroup", "num_rows");
    return Status::Ok();
}

Status ReadColumnOrder(R& r, int* order) {
  *order = 0;
  TDB_PQ_FIELDS_BEGIN(r)
  case 1:
  case 2:
  case 3:
    *order = id;
    TDB_RETURN_IF_ERROR(r.Skip(t));
    break;
    TDB_PQ_FIELDS_END(r)
    return Status::Ok();
}

}  // namespace

void SerializeFileMetaData(const FileMetaData& meta, std::string* out) {
  W w(out);
  w.StructBegin();
  w.FieldI32(1, meta.version);
  w.FieldListBegin(2, ThriftType::kStruct, meta.schema.size());
  for (const SchemaElement& e : meta.schema)
    WriteSchemaElement(w, e);
  w.FieldI64(3, meta.num_rows);
  w.FieldListBegin(4, ThriftType::kStruct, meta.row_groups.size());
  for (const RowGroup& g : meta.row_groups) {
    w.ElemStructBegin();
    w.FieldListBegin(1, ThriftType::kStruct, g.columns.size());
    for (const ColumnChunk& c : g.columns) {
      w.ElemStructBegin();
      if (c.file_path) w.FieldBinary(1, *c.file_path);
      w.FieldI64(2, c.file_offset);
      if (c.meta_data) WriteColumnMetaData(w, *c.meta_data);
      if (c.offset_index_offset) w.FieldI64(4, *c.offset_index_offset);
      if (c.offset_index_length) w.FieldI32(5, *c.offset_index_length);
      if (c.column_index_offset) w.FieldI64(6, *c.column_index_offset);
      if (c.column_index_length) w.FieldI32(7, *c.column_index_length);
      w.StructEnd();
    }
    w.FieldI64(2, g.total_byte_size);
    w.FieldI64(3, g.num_rows);
    if (g.file_offset) w.FieldI64(5, *g.file_offset);
    if (g.total_compressed_size) w.FieldI64(6, *g.total_compressed_size);
    if (g.ordinal) w.FieldI16(7, *g.ordinal);
    w.StructEnd();
  }
  if (!meta.key_value_metadata.empty()) WriteKeyValues(w, 5, meta.key_value_metadata);
  if (meta.created_by) w.FieldBinary(6, *meta.created_by);
  if (!meta.column_orders.empty()) {
    w.FieldListBegin(7, ThriftType::kStruct, meta.column_orders.size());
    for (int order : meta.column_orders) {
      w.ElemStructBegin();
      if (order > 0) {
        w.FieldStructBegin(static_cast<int16_t>(order));
        w.StructEnd();
      }
      w.StructEnd();
    }
  }
  w.StructEnd();
}

Result<FileMetaData> ParseFileMetaData(const uint8_t* data, size_t size) {
  R r(data, size);
  FileMetaData meta;
  uint32_t seen = 0;
  auto parse = [&]() -> Status {
    TDB_PQ_FIELDS_BEGIN(r)
    case 1:
      TDB_RETURN_IF_ERROR(r.ReadI32(t, &meta.version));
      break;
    case 2:
      TDB_RETURN_IF_ERROR(ReadList(r, t, &meta.schema, [&r](ThriftType e, SchemaElement* s) {
        if (e != ThriftType::kStruct) return Missing("FileMetaData", "SchemaElement structs");
        return ReadSchemaElement(r, s);
      }));
      seen |= 1;
      break;
    case 3:
      TDB_RETURN_IF_ERROR(r.ReadI64(t, &meta.num_rows));
      seen |= 2;
      break;
    case 4:
      TDB_RETURN_IF_ERROR(ReadList(r, t, &meta.row_groups, [&r](ThriftType e, RowGroup* g) {
        if (e != ThriftType::kStruct) return Missing("FileMetaData", "RowGroup structs");
        return ReadRowGroup(r, g);
      }));
      seen |= 4;
      break;
    case 5:
      TDB_RETURN_IF_ERROR(
          ReadList(r, t, &meta.key_value_metadata, [&r](ThriftType e, KeyValue* kv) {
            if (e != ThriftType::kStruct) return Missing("FileMetaData", "KeyValue structs");
            return ReadKeyValue(r, kv);
          }));
      break;
    case 6: {
      std::string s;
      TDB_RETURN_IF_ERROR(r.ReadBinary(t, &s));
      meta.created_by = std::move(s);
      break;
    }
    case 7:
      TDB_RETURN_IF_ERROR(ReadList(r, t, &meta.column_orders, [&r](ThriftType e, int* o) {
        if (e != ThriftType::kStruct) return Missing("FileMetaData", "ColumnOrder structs");
        return ReadColumnOrder(r, o);
      }));
      break;
      TDB_PQ_FIELDS_END(r)
      return Status::Ok();
  };
  TDB_RETURN_IF_ERROR(parse());
  if (seen != 7) return Missing("FileMetaData", "schema, num_rows or row_groups");
  return meta;
}

std::string TypeName(Type type) {
  static const char* const kNames[] = {"BOOLEAN", "INT32",  "INT64",      "INT96",
                                       "FLOAT",   "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};
  auto i = static_cast<int32_t>(type);
  return i >= 0 && i < 8 ? kNames[i] : "type#" + std::to_string(i);
}

std::string EncodingName(Encoding encoding) {
  static const char* const kNames[] = {
      "PLAIN",          "GROUP_VAR_INT",       "PLAIN_DICTIONARY",        "RLE",
      "BIT_PACKED",     "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY",
      "RLE_DICTIONARY", "BYTE_STREAM_SPLIT"};
  auto i = static_cast<int32_t>(encoding);
  return i >= 0 && i < 10 ? kNames[i] : "encoding#" + std::to_string(i);
}

std::string CodecName(Codec codec) {
  static const char* const kNames[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO",
                                       "BROTLI",       "LZ4",    "ZSTD", "LZ4_RAW"};
  auto i = static_cast<int32_t>(codec);
  return i >= 0 && i < 8 ? kNames[i] : "codec#" + std::to_string(i);
}

}  // namespace tenantdb::parquet
