#include "common/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace tenantdb {
namespace {

TEST(Utf8, AcceptsWellFormedTextOfEverySequenceLength) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("h\xc3\xa9llo"));                      // U+00E9
  EXPECT_TRUE(IsValidUtf8("\xe2\x82\xac"));                      // U+20AC
  EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x98\x80"));                  // U+1F600
  EXPECT_TRUE(IsValidUtf8("\xc2\x80\xdf\xbf"));                  // U+0080, U+07FF
  EXPECT_TRUE(IsValidUtf8("\xe0\xa0\x80\xef\xbf\xbf"));          // U+0800, U+FFFF
  EXPECT_TRUE(IsValidUtf8("\xed\x9f\xbf\xee\x80\x80"));          // U+D7FF, U+E000
  EXPECT_TRUE(IsValidUtf8("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"));  // U+10000, U+10FFFF
  EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));              // NUL is a character in UTF-8
}

TEST(Utf8, FindsTheFirstMalformedSequence) {
  EXPECT_EQ(FindInvalidUtf8("\xff\xfe"), 0u);              // bytes that start nothing
  EXPECT_EQ(FindInvalidUtf8("ab\xc0\xaf"), 2u);            // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xc1\xbf"), 0u);              // overlong, C1 lead
  EXPECT_EQ(FindInvalidUtf8("\xe0\x80\xaf"), 0u);          // overlong 3-byte form
  EXPECT_EQ(FindInvalidUtf8("\xf0\x80\x80\xaf"), 0u);      // overlong 4-byte form
  EXPECT_EQ(FindInvalidUtf8("x\xed\xa0\x80"), 1u);         // surrogate U+D800
  EXPECT_EQ(FindInvalidUtf8("\xed\xbf\xbf"), 0u);          // surrogate U+DFFF
  EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80"), 0u);      // U+110000
  EXPECT_EQ(FindInvalidUtf8("\xf5\x80\x80\x80"), 0u);      // F5 lead
  EXPECT_EQ(FindInvalidUtf8("abc\x80"), 3u);               // lone continuation
  EXPECT_EQ(FindInvalidUtf8("\xe2\x82"), 0u);              // truncated at the end
  EXPECT_EQ(FindInvalidUtf8("\xe2\x82z"), 0u);             // truncated in the middle
  EXPECT_EQ(FindInvalidUtf8("\xc3\xa9\xf0\x9f\x98"), 2u);  // valid, then truncated
}

TEST(Utf8, CheckNamesTheBytesWhereAndWhatWithSqlState22021) {
  EXPECT_TRUE(CheckUtf8("fine \xe2\x82\xac", "a literal").ok());
  Status s = CheckUtf8("ab\xed\xa0\x80z", "parameter $2");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kCharacterNotInRepertoire);
  EXPECT_EQ(s.code_name(), "character_not_in_repertoire");
  EXPECT_EQ(s.sqlstate(), "22021");
  EXPECT_EQ(s.message(),
            "invalid byte sequence for encoding \"UTF8\": 0xed 0xa0 0x80 in parameter $2 at "
            "byte 3; text must be valid UTF-8");
}

}  // namespace
}  // namespace tenantdb
