#include "storage/cold/thrift_compact.h"

#include <cstring>

namespace tenantdb {

// ---- writer ----

void ThriftCompactWriter::WriteVarint(uint64_t v) {
  while (v >= 0x80) {
    out_->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_->push_back(static_cast<char>(v));
}

void ThriftCompactWriter::FieldHeader(int16_t id, ThriftType type) {
  int16_t& last = last_ids_.back();
  int delta = id - last;
  if (delta > 0 && delta <= 15) {
    out_->push_back(static_cast<char>((delta << 4) | static_cast<int>(type)));
  } else {
    out_->push_back(static_cast<char>(type));
    WriteVarint(ZigZag(id));
  }
  last = id;
}

void ThriftCompactWriter::StructBegin() {
  last_ids_.push_back(0);
}

void ThriftCompactWriter::StructEnd() {
  out_->push_back(static_cast<char>(ThriftType::kStop));
  last_ids_.pop_back();
}

void ThriftCompactWriter::FieldBool(int16_t id, bool v) {
  FieldHeader(id, v ? ThriftType::kBoolTrue : ThriftType::kBoolFalse);
}

void ThriftCompactWriter::FieldI8(int16_t id, int8_t v) {
  FieldHeader(id, ThriftType::kByte);
  out_->push_back(static_cast<char>(v));
}

void ThriftCompactWriter::FieldI16(int16_t id, int16_t v) {
  FieldHeader(id, ThriftType::kI16);
  WriteVarint(ZigZag(v));
}

void ThriftCompactWriter::FieldI32(int16_t id, int32_t v) {
  FieldHeader(id, ThriftType::kI32);
  WriteVarint(ZigZag(v));
}

void ThriftCompactWriter::FieldI64(int16_t id, int64_t v) {
  FieldHeader(id, ThriftType::kI64);
  WriteVarint(ZigZag(v));
}

void ThriftCompactWriter::FieldDouble(int16_t id, double v) {
  FieldHeader(id, ThriftType::kDouble);
  char buf[8];
  std::memcpy(buf, &v, 8);  // little-endian host (x86-64, aarch64)
  out_->append(buf, 8);
}

void ThriftCompactWriter::FieldBinary(int16_t id, std::string_view v) {
  FieldHeader(id, ThriftType::kBinary);
  ElemBinary(v);
}

void ThriftCompactWriter::ElemBinary(std::string_view v) {
  WriteVarint(v.size());
  out_->append(v);
}

void ThriftCompactWriter::FieldStructBegin(int16_t id) {
  FieldHeader(id, ThriftType::kStruct);
  StructBegin();
}

void ThriftCompactWriter::FieldListBegin(int16_t id, ThriftType elem, size_t size) {
  FieldHeader(id, ThriftType::kList);
  if (size < 15) {
    out_->push_back(static_cast<char>((size << 4) | static_cast<size_t>(elem)));
  } else {
    out_->push_back(static_cast<char>(0xf0 | static_cast<int>(elem)));
    WriteVarint(size);
  }
}

// ---- reader ----

Status ThriftCompactReader::Corrupt(std::string_view what) {
  return Status(ErrorCode::kCorruption,
                "malformed Parquet metadata (thrift): " + std::string(what));
}

Status ThriftCompactReader::ReadByte(uint8_t* b) {
  if (pos_ >= size_) return Corrupt("unexpected end of data");
  *b = data_[pos_++];
  return Status::Ok();
}

Status ThriftCompactReader::ReadVarint(uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (pos_ >= size_) return Corrupt("unexpected end of data in a varint");
    uint8_t b = data_[pos_++];
    result |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      *v = result;
      return Status::Ok();
    }
  }
  return Corrupt("varint longer than 10 bytes");
}

Status ThriftCompactReader::StructBegin() {
  if (last_ids_.size() >= kMaxDepth) return Corrupt("structs nested too deeply");
  last_ids_.push_back(0);
  return Status::Ok();
}

Status ThriftCompactReader::NextField(int16_t* id, ThriftType* type) {
  if (last_ids_.empty()) return Corrupt("field read outside a struct");
  uint8_t b{};
  TDB_RETURN_IF_ERROR(ReadByte(&b));
  *type = static_cast<ThriftType>(b & 0x0f);
  if (*type == ThriftType::kStop) {
    last_ids_.pop_back();
    *id = 0;
    return Status::Ok();
  }
  if (static_cast<uint8_t>(*type) > static_cast<uint8_t>(ThriftType::kStruct)) {
    return Corrupt("unknown field type " + std::to_string(b & 0x0f));
  }
  int delta = b >> 4;
  if (delta != 0) {
    *id = static_cast<int16_t>(last_ids_.back() + delta);
  } else {
    uint64_t raw{};
    TDB_RETURN_IF_ERROR(ReadVarint(&raw));
    int64_t v = static_cast<int64_t>(raw >> 1) ^ -static_cast<int64_t>(raw & 1);
    if (v < INT16_MIN || v > INT16_MAX) return Corrupt("field id out of range");
    *id = static_cast<int16_t>(v);
  }
  last_ids_.back() = *id;
  return Status::Ok();
}

Status ThriftCompactReader::ReadBool(ThriftType type, bool* v) {
  if (type != ThriftType::kBoolTrue && type != ThriftType::kBoolFalse) {
    return Corrupt("expected a bool field");
  }
  *v = type == ThriftType::kBoolTrue;
  return Status::Ok();
}

Status ThriftCompactReader::ElemBool(bool* v) {
  uint8_t b{};
  TDB_RETURN_IF_ERROR(ReadByte(&b));
  *v = b == 1;
  return Status::Ok();
}

Status ThriftCompactReader::ReadI8(ThriftType type, int8_t* v) {
  if (type != ThriftType::kByte) return Corrupt("expected an i8");
  uint8_t b{};
  TDB_RETURN_IF_ERROR(ReadByte(&b));
  *v = static_cast<int8_t>(b);
  return Status::Ok();
}

Status ThriftCompactReader::ReadI16(ThriftType type, int16_t* v) {
  int64_t wide{};
  if (type != ThriftType::kI16) return Corrupt("expected an i16");
  TDB_RETURN_IF_ERROR(ReadI64(ThriftType::kI64, &wide));
  if (wide < INT16_MIN || wide > INT16_MAX) return Corrupt("i16 out of range");
  *v = static_cast<int16_t>(wide);
  return Status::Ok();
}

Status ThriftCompactReader::ReadI32(ThriftType type, int32_t* v) {
  int64_t wide{};
  if (type != ThriftType::kI32) return Corrupt("expected an i32");
  TDB_RETURN_IF_ERROR(ReadI64(ThriftType::kI64, &wide));
  if (wide < INT32_MIN || wide > INT32_MAX) return Corrupt("i32 out of range");
  *v = static_cast<int32_t>(wide);
  return Status::Ok();
}

Status ThriftCompactReader::ReadI64(ThriftType type, int64_t* v) {
  if (type != ThriftType::kI64) return Corrupt("expected an i64");
  uint64_t raw{};
  TDB_RETURN_IF_ERROR(ReadVarint(&raw));
  *v = static_cast<int64_t>(raw >> 1) ^ -static_cast<int64_t>(raw & 1);
  return Status::Ok();
}

Status ThriftCompactReader::ReadDouble(ThriftType type, double* v) {
  if (type != ThriftType::kDouble) return Corrupt("expected a double");
  if (size_ - pos_ < 8) return Corrupt("unexpected end of data in a double");
  std::memcpy(v, data_ + pos_, 8);
  pos_ += 8;
  return Status::Ok();
}

Status ThriftCompactReader::ReadBinary(ThriftType type, std::string* v) {
  if (type != ThriftType::kBinary) return Corrupt("expected a binary");
  uint64_t len{};
  TDB_RETURN_IF_ERROR(ReadVarint(&len));
  if (len > size_ - pos_) return Corrupt("binary length beyond the end of data");
  v->assign(reinterpret_cast<const char*>(data_ + pos_), len);
  pos_ += len;
  return Status::Ok();
}

Status ThriftCompactReader::ListBegin(ThriftType type, ThriftType* elem, uint32_t* size) {
  if (type != ThriftType::kList && type != ThriftType::kSet) return Corrupt("expected a list");
  uint8_t b{};
  TDB_RETURN_IF_ERROR(ReadByte(&b));
  *elem = static_cast<ThriftType>(b & 0x0f);
  uint64_t n = b >> 4;
  if (n == 15) TDB_RETURN_IF_ERROR(ReadVarint(&n));
  // Every element takes at least one byte, which bounds allocations by the input size.
  if (n > size_ - pos_) return Corrupt("list size beyond the end of data");
  *size = static_cast<uint32_t>(n);
  return Status::Ok();
}

Status ThriftCompactReader::Skip(ThriftType type) {
  return SkipDepth(type, 0);
}

Status ThriftCompactReader::SkipDepth(ThriftType type, int depth) {
  if (depth > kMaxDepth) return Corrupt("values nested too deeply");
  uint64_t raw{};
  switch (type) {
    case ThriftType::kBoolTrue:
    case ThriftType::kBoolFalse:
      return Status::Ok();
    case ThriftType::kByte: {
      uint8_t b{};
      return ReadByte(&b);
    }
    case ThriftType::kI16:
    case ThriftType::kI32:
    case ThriftType::kI64:
      return ReadVarint(&raw);
    case ThriftType::kDouble:
      if (size_ - pos_ < 8) return Corrupt("unexpected end of data in a double");
      pos_ += 8;
      return Status::Ok();
    case ThriftType::kBinary:
      TDB_RETURN_IF_ERROR(ReadVarint(&raw));
      if (raw > size_ - pos_) return Corrupt("binary length beyond the end of data");
      pos_ += raw;
      return Status::Ok();
    case ThriftType::kList:
    case ThriftType::kSet: {
      ThriftType elem{};
      uint32_t n{};
      TDB_RETURN_IF_ERROR(ListBegin(type, &elem, &n));
      for (uint32_t i = 0; i < n; ++i) {
        if (elem == ThriftType::kBoolTrue || elem == ThriftType::kBoolFalse) {
          uint8_t b{};
          TDB_RETURN_IF_ERROR(ReadByte(&b));
        } else {
          TDB_RETURN_IF_ERROR(SkipDepth(elem, depth + 1));
        }
      }
      return Status::Ok();
    }
    case ThriftType::kMap: {
      TDB_RETURN_IF_ERROR(ReadVarint(&raw));
      if (raw == 0) return Status::Ok();
      if (raw > size_ - pos_) return Corrupt("map size beyond the end of data");
      uint8_t kv{};
      TDB_RETURN_IF_ERROR(ReadByte(&kv));
      auto kt = static_cast<ThriftType>(kv >> 4);
      auto vt = static_cast<ThriftType>(kv & 0x0f);
      for (uint64_t i = 0; i < raw; ++i) {
        TDB_RETURN_IF_ERROR(SkipDepth(kt, depth + 1));
        TDB_RETURN_IF_ERROR(SkipDepth(vt, depth + 1));
      }
      return Status::Ok();
    }
    case ThriftType::kStruct: {
      TDB_RETURN_IF_ERROR(StructBegin());
      while (true) {
        int16_t id{};
        ThriftType ft{};
        TDB_RETURN_IF_ERROR(NextField(&id, &ft));
        if (ft == ThriftType::kStop) return Status::Ok();
        TDB_RETURN_IF_ERROR(SkipDepth(ft, depth + 1));
      }
    }
    case ThriftType::kStop:
      break;
  }
  return Corrupt("cannot skip a value of unknown type");
}

}  // namespace tenantdb
