// A NUMERIC(p,s) column's typmod survives the catalog's schema encoding, and schemas that
// differ only in it stay apart in SchemaPool.
#include <gtest/gtest.h>

#include "catalog/catalog_codec.h"
#include "catalog/schema_pool.h"

namespace tenantdb {
namespace {

std::vector<Field> PriceFields(uint8_t precision, uint8_t scale) {
  std::vector<Field> f{{"id", DataType::kBigInt, false, true, "", 1},
                       {"price", DataType::kNumeric, true, false, "0", 2},
                       {"qty", DataType::kNumeric, true, false, "", 3}};
  f[1].numeric_precision = precision;
  f[1].numeric_scale = scale;
  return f;
}

TEST(CatalogCodec, NumericTypmodRoundTrips) {
  const Schema schema(PriceFields(15, 2), {{"k", "v"}});
  Result<DecodedSchema> decoded = DecodeSchemaValue(EncodeSchemaValue(schema));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->fields, schema.fields());
  EXPECT_EQ(decoded->fields[1].numeric_precision, 15);
  EXPECT_EQ(decoded->fields[1].numeric_scale, 2);
  EXPECT_EQ(decoded->fields[2].numeric_precision, 0);  // unconstrained NUMERIC
  EXPECT_EQ(schema.ToString(),
            "(id BIGINT NOT NULL PRIMARY KEY, price NUMERIC(15,2) DEFAULT 0, qty NUMERIC)");
}

TEST(CatalogCodec, SchemasWithoutTypmodsEncodeAsBefore) {
  // No typmod, no flag bit: the bytes older versions wrote and read.
  std::vector<Field> fields = PriceFields(0, 0);
  const std::string encoded = EncodeSchemaValue(Schema(fields, {}));
  fields[1].numeric_precision = 10;
  EXPECT_EQ(EncodeSchemaValue(Schema(fields, {})).size(), encoded.size() + 2);
}

TEST(CatalogCodec, DamagedTypmodIsCorruption) {
  std::string encoded = EncodeSchemaValue(Schema(PriceFields(15, 2), {}));
  // The typmod bytes follow the price column's (empty-prefixed) default "0".
  const size_t at =
      encoded.find(std::string("\x01"
                               "0",
                               2));
  ASSERT_NE(at, std::string::npos);
  encoded[at + 2] = 39;  // precision past 38
  EXPECT_EQ(DecodeSchemaValue(encoded).status().code(), ErrorCode::kCorruption);
}

TEST(SchemaPool, NumericTypmodTakesPartInEquality) {
  SchemaPool pool;
  auto a = pool.Intern(PriceFields(15, 2));
  EXPECT_EQ(pool.Intern(PriceFields(15, 2)).get(), a.get());
  EXPECT_NE(pool.Intern(PriceFields(15, 3)).get(), a.get());
  EXPECT_NE(pool.Intern(PriceFields(16, 2)).get(), a.get());
  EXPECT_NE(pool.Intern(PriceFields(0, 0)).get(), a.get());
}

}  // namespace
}  // namespace tenantdb
