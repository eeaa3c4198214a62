// libFuzzer target: COPY FROM's text, CSV and binary decoder (sql/copy/copy_decoder.h),
// the bytes a client streams with CopyData or a COPY file holds. Input: [format byte]
// [chunk byte][data]. The format byte picks text, CSV or binary (bit 5), the delimiter,
// CSV's quote and escape, FORCE_NOT_NULL; the chunk byte the size of the pieces the data
// is fed in. Binary fields are also read as every type (ParseBinaryField).
// Checked, besides not crashing:
//   - feeding the data in pieces decodes exactly what feeding it at once does;
//   - what decodes, encoded again (copy_encoder.h) decodes back to the same fields.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "sql/copy/copy_binary.h"
#include "sql/copy/copy_decoder.h"
#include "sql/copy/copy_encoder.h"
#include "sql/copy/copy_format.h"

namespace {

using namespace tenantdb;
using Record = std::vector<std::optional<std::string>>;

struct Decoded {
  std::vector<Record> records;
  bool ok = true;
};

Decoded Decode(const sql::CopyFormat& format, std::string_view data, size_t chunk) {
  Decoded out;
  auto decoder = sql::CopyDecoder::Make(format, {"c1", "c2", "c3"}, 1 << 20);
  if (!decoder.ok()) std::abort();
  auto on_record = [&](uint64_t, const std::vector<sql::CopyField>& fields) {
    Record r;
    for (const sql::CopyField& f : fields)
      r.push_back(f.null ? std::nullopt : std::optional<std::string>(std::string(f.text)));
    out.records.push_back(std::move(r));
    return Status::Ok();
  };
  for (size_t at = 0; at < data.size() && out.ok; at += chunk)
    out.ok = decoder->Feed(data.substr(at, chunk), on_record).ok();
  if (out.ok) out.ok = decoder->Finish(on_record).ok();
  return out;
}

sql::CopyOption Opt(std::string name, std::string value) {
  sql::CopyOption o;
  o.name = std::move(name);
  o.value = std::move(value);
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::FuzzInput in(data, size);
  const uint8_t choice = in.Byte();
  const size_t chunk = 1 + in.Below(97);
  const std::string_view payload(reinterpret_cast<const char*>(data) + std::min<size_t>(size, 2),
                                 size - std::min<size_t>(size, 2));
  if (choice & 32) {
    auto binary = sql::ParseCopyFormat({Opt("format", "binary")}, true);
    if (!binary.ok()) std::abort();
    const Decoded whole = Decode(*binary, payload, payload.size() + 1);
    const Decoded pieces = Decode(*binary, payload, chunk);
    if (whole.ok != pieces.ok || whole.records != pieces.records) {
      std::fprintf(stderr, "binary decoding in pieces of %zu differs from at once\n", chunk);
      std::abort();
    }
    for (const Record& r : whole.records) {
      for (const std::optional<std::string>& field : r) {
        if (!field) continue;
        for (DataType type : kAllDataTypes)
          (void)sql::ParseBinaryField(*field, type);
      }
    }
    return 0;
  }
  std::vector<sql::CopyOption> options;
  const bool csv = choice & 1;
  if (csv) options.push_back(Opt("format", "csv"));
  if (choice & 2) options.push_back(Opt("delimiter", csv ? ";" : "|"));
  if (csv && (choice & 4)) options.push_back(Opt("quote", "'"));
  if (csv && (choice & 8)) options.push_back(Opt("escape", "\\"));
  if (csv && (choice & 16)) {
    sql::CopyOption fnn = Opt("force_not_null", "");
    fnn.list = {"c2"};
    options.push_back(fnn);
  }
  auto format = sql::ParseCopyFormat(options, true);
  if (!format.ok()) std::abort();

  const Decoded whole = Decode(*format, payload, payload.size() + 1);
  const Decoded pieces = Decode(*format, payload, chunk);
  if (whole.ok != pieces.ok || whole.records != pieces.records) {
    std::fprintf(stderr, "decoding in pieces of %zu differs from decoding at once\n", chunk);
    std::abort();
  }
  if (!whole.ok || (choice & 16)) return 0;  // FORCE_NOT_NULL turns NULLs into "": no round trip

  auto out_format =
      sql::ParseCopyFormat(std::vector<sql::CopyOption>(options.begin(), options.end()), false);
  auto encoder = sql::CopyEncoder::Make(*out_format, {});
  if (!encoder.ok()) std::abort();
  std::string encoded;
  for (const Record& r : whole.records) {
    for (size_t i = 0; i < r.size(); ++i)
      encoder->AppendField(i, r[i] ? std::optional<std::string_view>(*r[i]) : std::nullopt,
                           &encoded);
    encoder->EndRow(&encoded);
  }
  const Decoded again = Decode(*format, encoded, encoded.size() + 1);
  if (!again.ok || again.records != whole.records) {
    std::fprintf(stderr, "a decoded record does not survive encoding and decoding again\n");
    std::abort();
  }
  return 0;
}
