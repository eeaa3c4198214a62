// libFuzzer target: one Parquet column chunk (page headers, dictionary and data pages,
// every codec and encoding) decoded by ColumnChunkReader without a file around it, so the
// fuzzer spends its time in page decoding instead of getting a Thrift footer right
// (parquet_fuzz covers whole files). Layout: [column kind][FLBA length][optional]
// [codec][rows: 2 bytes little-endian][chunk bytes]; kinds are listed in kKinds.
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "storage/cold/column_chunk_reader.h"
#include "storage/cold/parquet_types.h"
#include "types/column_vector.h"

namespace {

using tenantdb::DataType;
using tenantdb::ParquetConversion;
using tenantdb::parquet::Type;

struct Kind {
  Type physical;
  DataType type;
  ParquetConversion conversion;
};

constexpr Kind kKinds[] = {
    {Type::kBoolean, DataType::kBoolean, ParquetConversion::kNone},
    {Type::kInt32, DataType::kInt, ParquetConversion::kNone},
    {Type::kInt32, DataType::kSmallInt, ParquetConversion::kNone},
    {Type::kInt32, DataType::kDate, ParquetConversion::kNone},
    {Type::kInt32, DataType::kBigInt, ParquetConversion::kUint32ToInt64},
    {Type::kInt64, DataType::kBigInt, ParquetConversion::kNone},
    {Type::kInt64, DataType::kTimestamp, ParquetConversion::kMillisToMicros},
    {Type::kInt64, DataType::kTimestampTz, ParquetConversion::kNanosToMicros},
    {Type::kInt96, DataType::kTimestamp, ParquetConversion::kInt96ToMicros},
    {Type::kFloat, DataType::kReal, ParquetConversion::kNone},
    {Type::kDouble, DataType::kDouble, ParquetConversion::kNone},
    {Type::kByteArray, DataType::kText, ParquetConversion::kNone},
    {Type::kByteArray, DataType::kBytea, ParquetConversion::kNone},
    {Type::kFixedLenByteArray, DataType::kUuid, ParquetConversion::kNone},
    {Type::kFixedLenByteArray, DataType::kBytea, ParquetConversion::kNone},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tenantdb;
  fuzz::FuzzInput in(data, size);
  const Kind& kind = kKinds[in.Below(sizeof(kKinds) / sizeof(kKinds[0]))];
  ParquetColumnInfo column;
  column.name = "c";
  column.physical = kind.physical;
  column.type = kind.type;
  column.conversion = kind.conversion;
  const uint8_t length = in.Byte();
  if (kind.physical == Type::kFixedLenByteArray) {
    column.type_length = kind.type == DataType::kUuid ? 16 : 1 + length;
  }
  column.optional = in.Bool();
  const auto codec = static_cast<parquet::Codec>(in.Below(8));
  const size_t rows = in.Byte() | (size_t{in.Byte()} << 8);
  const std::string_view chunk = in.Rest();
  ColumnChunkReader reader;
  ColumnVector out(kind.type);
  (void)reader.Read(column, codec, reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size(),
                    static_cast<int64_t>(rows), &out);
  return 0;
}
