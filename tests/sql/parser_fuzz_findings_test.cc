// Inputs sql_fuzz found (their files are in fuzz/corpus/sql_fuzz/crash-*): the parser must
// refuse them with an error, never hand the binder something it cannot bind safely.
#include <gtest/gtest.h>

#include "parser_test_util.h"

namespace tenantdb::sql {
namespace {

// `$0` reached the binder as parameter index -1 (an out-of-bounds read), and `$2147483647`
// made it size its parameter list for two billion entries.
TEST(ParserFuzzFindings, ParameterNumbersOutsideOneTo65535AreRefused) {
  for (const char* sql : {"SELECT $0", "UPDATE t SET b = upper(b) WHERE a = $0 RETURNING a",
                          "SELECT $65536", "SELECT $2147483647"}) {
    Status st = testing::ParseError(sql);
    EXPECT_EQ(st.code(), ErrorCode::kUndefinedParameter) << sql << ": " << st.ToString();
    EXPECT_NE(st.message().find("there is no parameter $"), std::string::npos) << st.ToString();
  }
  EXPECT_TRUE(Parse("SELECT $1, $65535").ok());
}

}  // namespace
}  // namespace tenantdb::sql
