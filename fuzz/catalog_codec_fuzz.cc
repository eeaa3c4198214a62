// libFuzzer target: catalog records as read back from RocksDB (catalog/catalog_codec.h).
// The first byte picks the record kind; the rest is the key or value. Every decoder must
// return corruption or a record; records that have an encoder must re-encode to bytes
// that decode to the same encoding.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "catalog/catalog_codec.h"

namespace {

template <typename Decode, typename Encode>
void RoundTrip(std::string_view bytes, Decode decode, Encode encode) {
  auto first = decode(bytes);
  if (!first.ok()) return;
  const std::string again = encode(*first);
  auto second = decode(again);
  if (!second.ok()) std::abort();
  if (encode(*second) != again) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tenantdb;
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const NamespaceId ns = NamespaceId::Make("app").value();
  const StorageId storage = StorageId::Make("local").value();
  switch (data[0] % 13) {
    case 0:
      (void)DecodeNamespaceKey(bytes);
      break;
    case 1:
      (void)DecodeTableKey(bytes);
      break;
    case 2:
      (void)DecodeStorageKey(bytes);
      break;
    case 3:
      RoundTrip(
          bytes, [&](std::string_view b) { return DecodeNamespaceValue(ns, b); },
          [](const NamespaceInfo& v) { return EncodeNamespaceValue(v); });
      break;
    case 4:
      RoundTrip(bytes, DecodeTableValue, [](const TableRecord& v) { return EncodeTableValue(v); });
      break;
    case 5:
      RoundTrip(bytes, DecodeTableByNumberValue,
                [](const TableId& v) { return EncodeTableByNumberValue(v); });
      break;
    case 6:
      RoundTrip(bytes, DecodeSchemaValue, [](const DecodedSchema& v) {
        return EncodeSchemaValue(Schema(v.fields, v.metadata));
      });
      break;
    case 7:
      RoundTrip(
          bytes, [&](std::string_view b) { return DecodeStorageValue(storage, b); },
          [](const StorageSpec& v) { return EncodeStorageValue(v); });
      break;
    case 8:
      RoundTrip(bytes, DecodeManifestFileValue,
                [](const ManifestFile& v) { return EncodeManifestFileValue(v); });
      (void)DecodeCounterValue(bytes);
      break;
    case 9:
      RoundTrip(
          bytes, [](std::string_view b) { return DecodePendingErasureValue(7, b); },
          [](const PendingErasure& v) { return EncodePendingErasureValue(v); });
      break;
    case 10:
      RoundTrip(bytes, DecodeUserValue, [](const UserRecord& v) { return EncodeUserValue(v); });
      break;
    case 11:
      RoundTrip(bytes, DecodeRevokedTokenValue,
                [](int64_t v) { return EncodeRevokedTokenValue(v); });
      break;
    case 12:
      (void)DecodeViewKey(bytes);
      RoundTrip(bytes, DecodeViewValue, [](const ViewRecord& v) { return EncodeViewValue(v); });
      break;
  }
  return 0;
}
