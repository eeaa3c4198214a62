// libFuzzer target: hot-row keys as read back from RocksDB (storage/hot/key_codec.h).
// The first byte picks the number of key columns (1 + byte % 4), one byte each their
// types (kAllDataTypes[byte % 13]); the rest is the key after the
// table prefix, decoded as a user id plus key columns and as key columns alone. What
// decodes must re-encode to a key that decodes to the same encoding.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "storage/hot/key_codec.h"

namespace {

void RoundTrip(const std::vector<tenantdb::DataType>& types, std::string_view encoded) {
  using namespace tenantdb;
  auto values = DecodeKeyColumns(types, encoded);
  if (!values.ok()) return;
  std::string again;
  if (!AppendKeyColumns(types, *values, &again).ok()) std::abort();
  auto values2 = DecodeKeyColumns(types, again);
  if (!values2.ok()) std::abort();
  std::string again2;
  if (!AppendKeyColumns(types, *values2, &again2).ok() || again2 != again) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tenantdb;
  fuzz::FuzzInput in(data, size);
  std::vector<DataType> types(1 + in.Below(4));
  for (DataType& t : types)
    t = in.Type();
  const std::string key(in.Rest());
  RoundTrip(types, key);
  std::string_view rest;
  auto user = DecodeUserId(key, &rest);
  if (user.ok()) RoundTrip(types, rest);
  (void)PrefixSuccessor(key);
  return 0;
}
