// Inputs text_input_fuzz found (their files are in fuzz/corpus/text_input_fuzz/): every
// value's text output must read back as the same value, as PostgreSQL's I/O functions do.
#include <gtest/gtest.h>

#include <string>

#include "sql/function/text_input.h"

namespace tenantdb::sql {
namespace {

void ExpectPrintedValueReadsBack(std::string_view text, DataType type) {
  auto value = ParseTextAs(text, type);
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  const std::string printed = value->ToString();
  auto again = ParseTextAs(printed, type);
  ASSERT_TRUE(again.ok()) << printed << ": " << again.status().ToString();
  EXPECT_EQ(*again, *value) << text << " printed as " << printed;
}

TEST(TextInputFuzzFindings, TimestampTzBeforeChristReadsBackFromItsOutput) {
  ExpectPrintedValueReadsBack("4713-01-01 BC", DataType::kTimestampTz);
  ExpectPrintedValueReadsBack("0001-06-30 12:00:00.25 BC", DataType::kTimestampTz);
  ExpectPrintedValueReadsBack("4713-01-01 BC", DataType::kTimestamp);
}

}  // namespace
}  // namespace tenantdb::sql
