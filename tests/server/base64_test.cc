#include "server/auth/base64.h"

#include <gtest/gtest.h>

namespace tenantdb::server {
namespace {

TEST(Base64, EncodesRfc4648VectorsWithoutPadding) {
  // RFC 4648 section 10, padding removed.
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(plain, Base64Alphabet::kStandard), encoded);
    EXPECT_EQ(Base64Decode(encoded, Base64Alphabet::kStandard), plain);
  }
}

TEST(Base64, UrlAlphabetUsesDashAndUnderscore) {
  const std::string bytes("\xfb\xff\xbf", 3);
  EXPECT_EQ(Base64Encode(bytes, Base64Alphabet::kStandard), "+/+/");
  EXPECT_EQ(Base64Encode(bytes, Base64Alphabet::kUrl), "-_-_");
  EXPECT_EQ(Base64Decode("-_-_", Base64Alphabet::kUrl), bytes);
  EXPECT_FALSE(Base64Decode("+/+/", Base64Alphabet::kUrl));
  EXPECT_FALSE(Base64Decode("-_-_", Base64Alphabet::kStandard));
}

TEST(Base64, RoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i)
    all += static_cast<char>(i);
  for (size_t len = 0; len <= all.size(); len += 7) {
    const std::string part = all.substr(0, len);
    EXPECT_EQ(Base64Decode(Base64Encode(part, Base64Alphabet::kUrl), Base64Alphabet::kUrl), part);
  }
}

TEST(Base64, RefusesPaddingWhitespaceAndNonCanonicalSpellings) {
  EXPECT_FALSE(Base64Decode("Zg==", Base64Alphabet::kUrl));
  EXPECT_FALSE(Base64Decode("Zm9v ", Base64Alphabet::kUrl));
  EXPECT_FALSE(Base64Decode("Z", Base64Alphabet::kUrl));  // 6 bits make no byte
  // "Zg" is "f"; "Zh" has the same first 8 bits but non-zero leftover bits.
  EXPECT_EQ(Base64Decode("Zg", Base64Alphabet::kUrl), "f");
  EXPECT_FALSE(Base64Decode("Zh", Base64Alphabet::kUrl));
  EXPECT_FALSE(Base64Decode("Zm9=", Base64Alphabet::kUrl));
}

}  // namespace
}  // namespace tenantdb::server
