// The PostgreSQL protocol, version 3: what the server sends, encoded. BackendWriter
// appends whole messages (Byte1 type, Int32 length including itself, body) to a string
// the connection later writes to the socket, so several messages leave in one write.
//
// Thread safety: a BackendWriter is used by one thread at a time. Ownership: it
// appends to a string the caller owns, which must outlive it. Cost: amortized
// appends, no allocation beyond the string's growth.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tenantdb::server::pgwire {

// One column of a RowDescription.
struct FieldDescription {
  std::string name;
  uint32_t type_oid = 0;
  int16_t type_length = -1;  // pg_type.typlen: -1 variable
  int32_t type_modifier = -1;
  int16_t format = 0;  // 0 text, 1 binary
};

// The fields of an ErrorResponse or NoticeResponse that tenantdb fills.
struct ErrorFields {
  std::string_view severity;  // "ERROR", "FATAL", "NOTICE", ...
  std::string_view sqlstate;
  std::string_view message;
  std::string_view detail;  // empty: not sent
  std::string_view hint;    // empty: not sent
  int position = 0;         // 1-based character position in the query; 0: not sent
};

class BackendWriter {
 public:
  explicit BackendWriter(std::string* out) : out_(out) {}

  // AuthenticationOk (0), CleartextPassword (3), SASL (10, mechanism list), SASLContinue
  // (11), SASLFinal (12).
  void AuthenticationOk() { AuthenticationCode(0); }
  void AuthenticationCleartextPassword() { AuthenticationCode(3); }
  void AuthenticationSasl(const std::vector<std::string_view>& mechanisms);
  void AuthenticationSaslContinue(std::string_view data) { AuthenticationData(11, data); }
  void AuthenticationSaslFinal(std::string_view data) { AuthenticationData(12, data); }

  void ParameterStatus(std::string_view name, std::string_view value);
  void BackendKeyData(int32_t process_id, int32_t secret_key);
  // 'I' idle, 'T' in a transaction, 'E' in a failed transaction.
  void ReadyForQuery(char status);

  void RowDescription(const std::vector<FieldDescription>& fields);
  void ParameterDescription(const std::vector<uint32_t>& oids);
  void NoData() { Empty('n'); }
  void CommandComplete(std::string_view tag);
  void EmptyQueryResponse() { Empty('I'); }
  void ParseComplete() { Empty('1'); }
  void BindComplete() { Empty('2'); }
  void CloseComplete() { Empty('3'); }
  void PortalSuspended() { Empty('s'); }

  // COPY: CopyInResponse ('G') / CopyOutResponse ('H') with the overall format (0 text,
  // 1 binary) and one format per column; CopyData ('d'); CopyDone ('c').
  void CopyInResponse(int8_t format, int16_t columns) { CopyResponse('G', format, columns); }
  void CopyOutResponse(int8_t format, int16_t columns) { CopyResponse('H', format, columns); }
  void CopyData(std::string_view bytes);
  void CopyDone() { Empty('c'); }

  void ErrorResponse(const ErrorFields& fields) { Fields('E', fields); }
  void NoticeResponse(const ErrorFields& fields) { Fields('N', fields); }

  // DataRow, built one value at a time:
  //   writer.BeginDataRow(n); writer.Value(bytes) / writer.Null() x n; writer.EndMessage();
  // or with the value's bytes appended in place: size_t at = writer.BeginValue();
  // ... append to out() ...; writer.EndValue(at).
  void BeginDataRow(int16_t columns);
  void Null();
  void Value(std::string_view bytes);
  size_t BeginValue();
  void EndValue(size_t at);
  void EndMessage();

  std::string& out() { return *out_; }

 private:
  void Begin(char type);
  void Int16(int16_t v);
  void Int32(int32_t v);
  void CString(std::string_view s);
  void Empty(char type);
  void AuthenticationCode(int32_t code);
  void AuthenticationData(int32_t code, std::string_view data);
  void Fields(char type, const ErrorFields& fields);
  void CopyResponse(char type, int8_t format, int16_t columns);

  std::string* out_;
  size_t message_start_ = 0;
};

}  // namespace tenantdb::server::pgwire
