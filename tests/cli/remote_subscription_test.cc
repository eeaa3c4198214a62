// How `\subscribe` prints the server's live-query messages (remote_subscription.h).
#include "cli/remote_subscription.h"

#include <gtest/gtest.h>

namespace tenantdb::cli {
namespace {

TEST(RemoteSubscription, PrintsAckRowsAndChanges) {
  EXPECT_EQ(DescribeSubscriptionMessage(
                R"({"type":"subscription_ack","subscription_id":"shell","schema":[)"
                R"({"name":"id","data_type":"BIGINT","index":0},)"
                R"({"name":"body","data_type":"TEXT","index":1}]})")
                .text,
            "subscribed: id BIGINT, body TEXT\n");
  SubscriptionLine batch = DescribeSubscriptionMessage(
      R"({"type":"initial_data_batch","subscription_id":"shell","rows":[[1,"a"],[2,null]],)"
      R"("batch_control":{"batch_num":0,"has_more":true,"status":"loading","last_seq":3}})");
  EXPECT_EQ(batch.text, "row [1,\"a\"]\nrow [2,null]\n");
  EXPECT_TRUE(batch.has_more);
  SubscriptionLine last = DescribeSubscriptionMessage(
      R"({"type":"initial_data_batch","subscription_id":"shell","rows":[],)"
      R"("batch_control":{"batch_num":1,"has_more":false,"status":"ready","last_seq":3}})");
  EXPECT_EQ(last.text, "live at seq 3 (Ctrl-C stops)\n");
  EXPECT_FALSE(last.has_more);
  EXPECT_EQ(DescribeSubscriptionMessage(R"({"type":"change","subscription_id":"shell",)"
                                        R"("change_type":"update","rows":[[1,"b"]],)"
                                        R"("old_values":[[1,"a"]],"seq":4})")
                .text,
            "update seq=4 [1,\"b\"] (was [1,\"a\"])\n");
  EXPECT_EQ(DescribeSubscriptionMessage(R"({"type":"change","subscription_id":"shell",)"
                                        R"("change_type":"delete","rows":[[2,null]],"seq":5})")
                .text,
            "delete seq=5 [2,null]\n");
  EXPECT_EQ(DescribeSubscriptionMessage(R"({"type":"pong"})").text, "");
}

TEST(RemoteSubscription, AnErrorEndsIt) {
  SubscriptionLine error = DescribeSubscriptionMessage(
      R"({"type":"error","subscription_id":"shell","code":"table_changed","message":"ALTER TABLE"})");
  EXPECT_FALSE(error.error.ok());
  EXPECT_NE(error.error.message().find("table_changed: ALTER TABLE"), std::string::npos);
  EXPECT_EQ(
      DescribeSubscriptionMessage(R"({"type":"auth_error","message":"expired"})").error.code(),
      ErrorCode::kInvalidAuthorization);
  EXPECT_EQ(DescribeSubscriptionMessage("not json").error.code(), ErrorCode::kInvalidRequest);
  SubscriptionLine engine = DescribeSubscriptionMessage(
      R"({"type":"error","subscription_id":"shell","code":"undefined_table",)"
      R"("message":"relation \"x\" does not exist"})");
  EXPECT_EQ(engine.error.code(), ErrorCode::kUndefinedTable);
  EXPECT_EQ(engine.error.message(), "relation \"x\" does not exist");
}

}  // namespace
}  // namespace tenantdb::cli
