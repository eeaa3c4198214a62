// Parquet page headers and the page index (OffsetIndex, ColumnIndex): thrift compact
// serialization and parsing (parquet_metadata.h).
#include "storage/cold/parquet_metadata.h"
#include "storage/cold/parquet_thrift_fields.h"

namespace tenantdb::parquet {

void SerializeOffsetIndex(const OffsetIndex& index, std::string* out) {
  W w(out);
  w.StructBegin();
  w.FieldListBegin(1, ThriftType::kStruct, index.page_locations.size());
  for (const PageLocation& p : index.page_locations) {
    w.ElemStructBegin();
    w.FieldI64(1, p.offset);
    w.FieldI32(2, p.compressed_page_size);
    w.FieldI64(3, p.first_row_index);
    w.StructEnd();
  }
  w.StructEnd();
}

void SerializeColumnIndex(const ColumnIndex& index, std::string* out) {
  W w(out);
  w.StructBegin();
  w.FieldListBegin(1, ThriftType::kBoolTrue, index.null_pages.size());
  for (bool b : index.null_pages)
    w.ElemBool(b);
  w.FieldListBegin(2, ThriftType::kBinary, index.min_values.size());
  for (const std::string& v : index.min_values)
    w.ElemBinary(v);
  w.FieldListBegin(3, ThriftType::kBinary, index.max_values.size());
  for (const std::string& v : index.max_values)
    w.ElemBinary(v);
  w.FieldI32(4, static_cast<int32_t>(index.boundary_order));
  if (!index.null_counts.empty()) {
    w.FieldListBegin(5, ThriftType::kI64, index.null_counts.size());
    for (int64_t n : index.null_counts)
      w.ElemI64(n);
  }
  w.StructEnd();
}

Result<OffsetIndex> ParseOffsetIndex(const uint8_t* data, size_t size) {
  R r(data, size);
  OffsetIndex index;
  bool has_locations = false;
  auto parse = [&]() -> Status {
    TDB_PQ_FIELDS_BEGIN(r)
    case 1:
      TDB_RETURN_IF_ERROR(
          ReadList(r, t, &index.page_locations, [&r](ThriftType e, PageLocation* p) -> Status {
            if (e != ThriftType::kStruct) return Missing("OffsetIndex", "PageLocation structs");
            uint32_t seen = 0;
            TDB_PQ_FIELDS_BEGIN(r)
            case 1:
              TDB_RETURN_IF_ERROR(r.ReadI64(t, &p->offset));
              seen |= 1;
              break;
            case 2:
              TDB_RETURN_IF_ERROR(r.ReadI32(t, &p->compressed_page_size));
              seen |= 2;
              break;
            case 3:
              TDB_RETURN_IF_ERROR(r.ReadI64(t, &p->first_row_index));
              seen |= 4;
              break;
              TDB_PQ_FIELDS_END(r)
              if (seen != 7) return Missing("PageLocation", "offset, size or first row");
              return Status::Ok();
          }));
      has_locations = true;
      break;
      TDB_PQ_FIELDS_END(r)
      return Status::Ok();
  };
  TDB_RETURN_IF_ERROR(parse());
  if (!has_locations) return Missing("OffsetIndex", "page_locations");
  return index;
}

Result<ColumnIndex> ParseColumnIndex(const uint8_t* data, size_t size) {
  R r(data, size);
  ColumnIndex index;
  uint32_t seen = 0;
  auto bin = [&r](ThriftType e, std::string* v) { return r.ReadBinary(e, v); };
  auto parse = [&]() -> Status {
    TDB_PQ_FIELDS_BEGIN(r)
    case 1: {
      std::vector<uint8_t> flags;
      TDB_RETURN_IF_ERROR(ReadList(r, t, &flags, [&r](ThriftType e, uint8_t* v) {
        if (e != ThriftType::kBoolTrue && e != ThriftType::kBoolFalse) {
          return Missing("ColumnIndex", "a list of bools in null_pages");
        }
        bool b = false;
        TDB_RETURN_IF_ERROR(r.ElemBool(&b));
        *v = b ? 1 : 0;
        return Status::Ok();
      }));
      index.null_pages.assign(flags.begin(), flags.end());
      seen |= 1;
      break;
    }
    case 2:
      TDB_RETURN_IF_ERROR(ReadList(r, t, &index.min_values, bin));
      seen |= 2;
      break;
    case 3:
      TDB_RETURN_IF_ERROR(ReadList(r, t, &index.max_values, bin));
      seen |= 4;
      break;
    case 4:
      TDB_RETURN_IF_ERROR(ReadEnum(r, t, &index.boundary_order));
      seen |= 8;
      break;
    case 5:
      TDB_RETURN_IF_ERROR(ReadList(r, t, &index.null_counts,
                                   [&r](ThriftType e, int64_t* v) { return r.ReadI64(e, v); }));
      break;
      TDB_PQ_FIELDS_END(r)
      return Status::Ok();
  };
  TDB_RETURN_IF_ERROR(parse());
  if (seen != 15) return Missing("ColumnIndex", "null_pages, min/max values or boundary_order");
  const size_t n = index.null_pages.size();
  if (index.min_values.size() != n || index.max_values.size() != n ||
      (!index.null_counts.empty() && index.null_counts.size() != n)) {
    return Status(ErrorCode::kCorruption, "malformed Parquet metadata: ColumnIndex lists differ");
  }
  return index;
}

void SerializePageHeader(const PageHeader& h, std::string* out) {
  W w(out);
  w.StructBegin();
  w.FieldI32(1, static_cast<int32_t>(h.type));
  w.FieldI32(2, h.uncompressed_page_size);
  w.FieldI32(3, h.compressed_page_size);
  if (h.crc) w.FieldI32(4, *h.crc);
  if (h.data_page_header) {
    const DataPageHeader& d = *h.data_page_header;
    w.FieldStructBegin(5);
    w.FieldI32(1, d.num_values);
    w.FieldI32(2, static_cast<int32_t>(d.encoding));
    w.FieldI32(3, static_cast<int32_t>(d.definition_level_encoding));
    w.FieldI32(4, static_cast<int32_t>(d.repetition_level_encoding));
    w.StructEnd();
  }
  if (h.dictionary_page_header) {
    const DictionaryPageHeader& d = *h.dictionary_page_header;
    w.FieldStructBegin(7);
    w.FieldI32(1, d.num_values);
    w.FieldI32(2, static_cast<int32_t>(d.encoding));
    if (d.is_sorted) w.FieldBool(3, *d.is_sorted);
    w.StructEnd();
  }
  if (h.data_page_header_v2) {
    const DataPageHeaderV2& d = *h.data_page_header_v2;
    w.FieldStructBegin(8);
    w.FieldI32(1, d.num_values);
    w.FieldI32(2, d.num_nulls);
    w.FieldI32(3, d.num_rows);
    w.FieldI32(4, static_cast<int32_t>(d.encoding));
    w.FieldI32(5, d.definition_levels_byte_length);
    w.FieldI32(6, d.repetition_levels_byte_length);
    w.FieldBool(7, d.is_compressed);
    w.StructEnd();
  }
  w.StructEnd();
}

Result<PageHeader> ParsePageHeader(const uint8_t* data, size_t size, size_t* consumed) {
  R r(data, size);
  PageHeader h;
  uint32_t seen = 0;
  auto parse = [&]() -> Status {
    TDB_PQ_FIELDS_BEGIN(r)
    case 1:
      TDB_RETURN_IF_ERROR(ReadEnum(r, t, &h.type));
      seen |= 1;
      break;
    case 2:
      TDB_RETURN_IF_ERROR(r.ReadI32(t, &h.uncompressed_page_size));
      seen |= 2;
      break;
    case 3:
      TDB_RETURN_IF_ERROR(r.ReadI32(t, &h.compressed_page_size));
      seen |= 4;
      break;
    case 4: {
      int32_t crc{};
      TDB_RETURN_IF_ERROR(r.ReadI32(t, &crc));
      h.crc = crc;
      break;
    }
    case 5: {
      if (t != ThriftType::kStruct) return Missing("PageHeader", "DataPageHeader struct");
      DataPageHeader& d = h.data_page_header.emplace();
      uint32_t dseen = 0;
      TDB_PQ_FIELDS_BEGIN(r)
      case 1:
        TDB_RETURN_IF_ERROR(r.ReadI32(t, &d.num_values));
        dseen |= 1;
        break;
      case 2:
        TDB_RETURN_IF_ERROR(ReadEnum(r, t, &d.encoding));
        dseen |= 2;
        break;
      case 3:
        TDB_RETURN_IF_ERROR(ReadEnum(r, t, &d.definition_level_encoding));
        break;
      case 4:
        TDB_RETURN_IF_ERROR(ReadEnum(r, t, &d.repetition_level_encoding));
        break;
        TDB_PQ_FIELDS_END(r)
        if (dseen != 3) return Missing("DataPageHeader", "num_values or encoding");
        break;
    }
    case 7: {
      if (t != ThriftType::kStruct) return Missing("PageHeader", "DictionaryPageHeader struct");
      DictionaryPageHeader& d = h.dictionary_page_header.emplace();
      uint32_t dseen = 0;
      TDB_PQ_FIELDS_BEGIN(r)
      case 1:
        TDB_RETURN_IF_ERROR(r.ReadI32(t, &d.num_values));
        dseen |= 1;
        break;
      case 2:
        TDB_RETURN_IF_ERROR(ReadEnum(r, t, &d.encoding));
        dseen |= 2;
        break;
      case 3: {
        bool b{};
        TDB_RETURN_IF_ERROR(r.ReadBool(t, &b));
        d.is_sorted = b;
        break;
      }
        TDB_PQ_FIELDS_END(r)
        if (dseen != 3) return Missing("DictionaryPageHeader", "num_values or encoding");
        break;
    }
    case 8: {
      if (t != ThriftType::kStruct) return Missing("PageHeader", "DataPageHeaderV2 struct");
      DataPageHeaderV2& d = h.data_page_header_v2.emplace();
      uint32_t dseen = 0;
      TDB_PQ_FIELDS_BEGIN(r)
      case 1:
        TDB_RETURN_IF_ERROR(r.ReadI32(t, &d.num_values));
        dseen |= 1;
        break;
      case 2:
        TDB_RETURN_IF_ERROR(r.ReadI32(t, &d.num_nulls));
        dseen |= 2;
        break;
      case 3:
        TDB_RETURN_IF_ERROR(r.ReadI32(t, &d.num_rows));
        dseen |= 4;
        break;
      case 4:
        TDB_RETURN_IF_ERROR(ReadEnum(r, t, &d.encoding));
        dseen |= 8;
        break;
      case 5:
        TDB_RETURN_IF_ERROR(r.ReadI32(t, &d.definition_levels_byte_length));
        dseen |= 16;
        break;
      case 6:
        TDB_RETURN_IF_ERROR(r.ReadI32(t, &d.repetition_levels_byte_length));
        dseen |= 32;
        break;
      case 7:
        TDB_RETURN_IF_ERROR(r.ReadBool(t, &d.is_compressed));
        break;
        TDB_PQ_FIELDS_END(r)
        if (dseen != 63) return Missing("DataPageHeaderV2", "a required field");
        break;
    }
      TDB_PQ_FIELDS_END(r)
      return Status::Ok();
  };
  TDB_RETURN_IF_ERROR(parse());
  if (seen != 7) return Missing("PageHeader", "type or page sizes");
  if (h.compressed_page_size < 0 || h.uncompressed_page_size < 0) {
    return Status(ErrorCode::kCorruption, "malformed Parquet page header: negative page size");
  }
  *consumed = r.position();
  return h;
}

}  // namespace tenantdb::parquet
