// NOTICEs through the public Cursor (include/tenantdb/result.h): a CREATE TABLE without a
// TYPE says which type and access level it chose; statements that decide nothing for the
// user raise none.
#include "api_fixture.h"

namespace tenantdb {
namespace {

TEST_F(ApiTest, CreateTableWithoutTypeSaysItMadeAPrivateSharedTable) {
  auto cursor = root_->Query("CREATE TABLE notes (id INT PRIMARY KEY, body TEXT)");
  ASSERT_TRUE(cursor.ok()) << cursor.status().ToString();
  ASSERT_EQ((*cursor)->notices().size(), 1u);
  const std::string& notice = (*cursor)->notices()[0];
  EXPECT_NE(notice.find("default.notes"), std::string::npos) << notice;
  EXPECT_NE(notice.find("SHARED"), std::string::npos) << notice;
  EXPECT_NE(notice.find("ACCESS_LEVEL PRIVATE"), std::string::npos) << notice;
  EXPECT_EQ(Query("SELECT table_type, access_level FROM system.tables WHERE table_name = "
                  "'notes'"),
            "SHARED|PRIVATE\n");
}

TEST_F(ApiTest, CreateTableWithATypeRaisesNoNotice) {
  for (const char* sql :
       {"CREATE TABLE a (id INT PRIMARY KEY) WITH (TYPE = 'USER')",
        "CREATE SHARED TABLE b (id INT PRIMARY KEY)",
        "CREATE TABLE c (id INT PRIMARY KEY) WITH (TYPE = 'SHARED', ACCESS_LEVEL = 'PUBLIC')",
        "SELECT 1"}) {
    auto cursor = root_->Query(sql);
    ASSERT_TRUE(cursor.ok()) << sql << ": " << cursor.status().ToString();
    EXPECT_TRUE((*cursor)->notices().empty()) << sql;
  }
  EXPECT_EQ(Query("SELECT table_name, access_level FROM system.tables WHERE table_type = "
                  "'SHARED' ORDER BY table_name"),
            "b|PRIVATE\nc|PUBLIC\n");
}

}  // namespace
}  // namespace tenantdb
