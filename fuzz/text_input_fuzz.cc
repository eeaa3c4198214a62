// libFuzzer target: text a client sends as a value (CAST('...' AS t), parameters in text
// format, COPY-style input): ParseTextAs for every type, JSON validation and UTF-8
// validation. A value that parses must print (Value::ToString) to text that parses back
// to the same value, as PostgreSQL's input and output functions do.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/utf8.h"
#include "sql/function/text_input.h"
#include "types/data_type.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tenantdb;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)FindInvalidUtf8(text);
  (void)CheckUtf8(text, "fuzz input");
  (void)sql::ValidateJson(text);
  for (DataType type : kAllDataTypes) {
    auto value = sql::ParseTextAs(text, type);
    if (!value.ok()) continue;
    const std::string printed = value->ToString();
    auto again = sql::ParseTextAs(printed, type);
    const bool nan = again.ok() && IsFloatingPoint(type) && std::isnan(value->as_double()) &&
                     std::isnan(again->as_double());
    if (!again.ok() || (!nan && !(*again == *value))) {
      std::fprintf(stderr, "%s: \"%s\" prints as \"%s\", which reads back as %s\n",
                   std::string(DataTypeName(type)).c_str(), std::string(text).c_str(),
                   printed.c_str(),
                   again.ok() ? ("\"" + again->ToString() + "\"").c_str()
                              : std::string(again.status().message()).c_str());
      std::abort();
    }
  }
  return 0;
}
