#include "sql/copy/copy_decoder.h"

#include <algorithm>
#include <cstring>

#include "common/utf8.h"
#include "sql/copy/copy_binary.h"

namespace tenantdb::sql {

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// PostgreSQL's text-format escapes (CopyReadAttributesText).
void Unescape(std::string_view raw, std::string* out) {
  for (size_t j = 0; j < raw.size(); ++j) {
    const char c = raw[j];
    if (c != '\\' || j + 1 >= raw.size()) {
      out->push_back(c);
      continue;
    }
    const char e = raw[++j];
    switch (e) {
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7': {
        int v = e - '0';
        for (int k = 0; k < 2 && j + 1 < raw.size() && raw[j + 1] >= '0' && raw[j + 1] <= '7'; ++k)
          v = v * 8 + (raw[++j] - '0');
        out->push_back(static_cast<char>(v & 0xFF));
        break;
      }
      case 'x': {
        int v = j + 1 < raw.size() ? HexDigit(raw[j + 1]) : -1;
        if (v < 0) {
          out->push_back('x');
          break;
        }
        ++j;
        if (j + 1 < raw.size() && HexDigit(raw[j + 1]) >= 0) v = v * 16 + HexDigit(raw[++j]);
        out->push_back(static_cast<char>(v));
        break;
      }
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'v':
        out->push_back('\v');
        break;
      default:
        out->push_back(e);
        break;
    }
  }
}

Result<std::vector<bool>> ColumnFlags(const std::vector<std::string>& names,
                                      const std::vector<std::string>& columns, const char* option) {
  std::vector<bool> flags(columns.size(), false);
  for (const std::string& n : names) {
    auto it = std::find(columns.begin(), columns.end(), n);
    if (it == columns.end()) {
      return Status(ErrorCode::kUndefinedColumn,
                    std::string(option) + " column \"" + n + "\" is not referenced by COPY");
    }
    flags[static_cast<size_t>(it - columns.begin())] = true;
  }
  return flags;
}

}  // namespace

Result<CopyDecoder> CopyDecoder::Make(const CopyFormat& format,
                                      const std::vector<std::string>& column_names,
                                      size_t max_record_bytes) {
  CopyDecoder d(format);
  TDB_ASSIGN_OR_RETURN(d.force_not_null_,
                       ColumnFlags(format.force_not_null, column_names, "FORCE_NOT_NULL"));
  TDB_ASSIGN_OR_RETURN(d.force_null_, ColumnFlags(format.force_null, column_names, "FORCE_NULL"));
  d.max_record_bytes_ = max_record_bytes;
  return d;
}

Status CopyDecoder::Error(ErrorCode code, const std::string& message) const {
  return Status(code, message + " (" + error_context_ + " line " + std::to_string(line_) + ")");
}

size_t CopyDecoder::FindRecordEnd(std::string_view data, size_t* newline_length) {
  size_t i = scanned_;
  if (!format_.csv()) {
    const void* nl =
        i < data.size() ? std::memchr(data.data() + i, '\n', data.size() - i) : nullptr;
    if (nl == nullptr) {
      scanned_ = data.size();
      return std::string_view::npos;
    }
    i = static_cast<size_t>(static_cast<const char*>(nl) - data.data());
  } else {
    const char quote = format_.quote, escape = format_.escape;
    bool in_quote = scan_in_quote_;
    for (;; ++i) {
      if (i >= data.size()) {
        scanned_ = i;
        scan_in_quote_ = in_quote;
        return std::string_view::npos;
      }
      const char c = data[i];
      if (in_quote) {
        if (c == escape && escape != quote) {
          if (i + 1 >= data.size()) {  // decide when the next byte arrives
            scanned_ = i;
            scan_in_quote_ = true;
            return std::string_view::npos;
          }
          if (data[i + 1] == quote || data[i + 1] == escape) ++i;
        } else if (c == quote) {
          in_quote = false;
        }
      } else if (c == quote) {
        in_quote = true;
      } else if (c == '\n') {
        break;
      }
    }
  }
  scanned_ = 0;
  scan_in_quote_ = false;
  if (i > 0 && data[i - 1] == '\r') {
    *newline_length = 2;
    return i - 1;
  }
  *newline_length = 1;
  return i;
}

Status CopyDecoder::Feed(std::string_view chunk, const RecordFn& on_record) {
  if (ended_) return Status::Ok();
  if (format_.kind == CopyFormatKind::kBinary) return FeedBinary(chunk, on_record);
  const bool from_pending = !pending_.empty();
  if (from_pending) pending_.append(chunk);
  const std::string_view data = from_pending ? std::string_view(pending_) : chunk;
  size_t pos = 0;
  while (!ended_) {
    size_t newline = 0;
    const size_t length = FindRecordEnd(data.substr(pos), &newline);
    if (length == std::string_view::npos) break;
    TDB_RETURN_IF_ERROR(DecodeRecord(data.substr(pos, length), on_record));
    pos += length + newline;
  }
  if (ended_) {
    pending_.clear();
    return Status::Ok();
  }
  if (data.size() - pos > max_record_bytes_) {
    ++line_;
    return Error(ErrorCode::kRequestTooLarge,
                 "a COPY record is longer than " + std::to_string(max_record_bytes_) + " bytes");
  }
  if (from_pending) {
    pending_.erase(0, pos);
  } else {
    pending_.assign(data.substr(pos));
  }
  return Status::Ok();
}

Status CopyDecoder::Finish(const RecordFn& on_record) {
  if (format_.kind == CopyFormatKind::kBinary && !ended_) {
    // Data may end without the trailer, as PostgreSQL accepts, but not inside a tuple.
    if (!binary_header_done_) {
      return Error(ErrorCode::kInvalidTextRepresentation,
                   "COPY file signature not recognized (binary COPY data starts with "
                   "PGCOPY\\n\\377\\r\\n\\0)");
    }
    if (!pending_.empty()) {
      ++line_;
      return Error(ErrorCode::kInvalidTextRepresentation, "unexpected EOF in COPY data");
    }
    return Status::Ok();
  }
  if (ended_ || pending_.empty()) return Status::Ok();
  size_t newline = 0;
  size_t length = FindRecordEnd(pending_, &newline);
  if (length != std::string_view::npos) {  // cannot happen: Feed took every whole record
    return Status(ErrorCode::kInternal, "COPY decoder kept a complete record");
  }
  if (scan_in_quote_) {
    ++line_;
    return Error(ErrorCode::kInvalidTextRepresentation, "unterminated CSV quoted field");
  }
  std::string last = std::move(pending_);
  pending_.clear();
  if (!last.empty() && last.back() == '\r') last.pop_back();
  return DecodeRecord(last, on_record);
}

Status CopyDecoder::DecodeRecord(std::string_view record, const RecordFn& on_record) {
  ++line_;
  if (record == "\\.") {
    ended_ = true;
    return Status::Ok();
  }
  if (record.size() > max_record_bytes_) {
    return Error(ErrorCode::kRequestTooLarge,
                 "a COPY record is longer than " + std::to_string(max_record_bytes_) + " bytes");
  }
  if (format_.header && line_ == 1) return Status::Ok();
  if (FindInvalidUtf8(record) != std::string_view::npos) {
    return Error(ErrorCode::kCharacterNotInRepertoire,
                 std::string(CheckUtf8(record, "COPY data").message()));
  }
  spans_.clear();
  scratch_.clear();
  TDB_RETURN_IF_ERROR(format_.csv() ? SplitCsv(record) : SplitText(record));
  fields_.resize(spans_.size());
  for (size_t i = 0; i < spans_.size(); ++i) {
    const Span& s = spans_[i];
    fields_[i].null = s.null;
    fields_[i].text =
        s.null ? std::string_view()
               : (s.in_scratch ? std::string_view(scratch_) : record).substr(s.begin, s.length);
  }
  return on_record(line_, fields_);
}

Status CopyDecoder::SplitText(std::string_view record) {
  const char delimiter = format_.delimiter;
  const size_t n = record.size();
  size_t i = 0;
  while (true) {
    const size_t start = i;
    bool escaped = false;
    while (i < n && record[i] != delimiter) {
      if (record[i] == '\\') {
        escaped = true;
        ++i;
      }
      ++i;
    }
    i = std::min(i, n);
    const std::string_view raw = record.substr(start, i - start);
    if (raw == format_.null_string) {
      spans_.push_back(Span{false, start, 0, true});
    } else if (!escaped) {
      spans_.push_back(Span{false, start, raw.size(), false});
    } else {
      const size_t at = scratch_.size();
      Unescape(raw, &scratch_);
      const std::string_view decoded = std::string_view(scratch_).substr(at);
      if (!IsValidUtf8(decoded)) {
        return Error(ErrorCode::kCharacterNotInRepertoire,
                     std::string(CheckUtf8(decoded, "an escaped COPY field").message()));
      }
      spans_.push_back(Span{true, at, scratch_.size() - at, false});
    }
    if (i >= n) break;
    ++i;  // the delimiter; a trailing one starts an empty last field
  }
  return Status::Ok();
}

Status CopyDecoder::SplitCsv(std::string_view record) {
  const char delimiter = format_.delimiter, quote = format_.quote, escape = format_.escape;
  const size_t n = record.size();
  size_t i = 0;
  while (true) {
    const size_t start = i;
    const size_t column = spans_.size();
    // Fast path: no quote before the delimiter — the field is the raw text.
    while (i < n && record[i] != delimiter && record[i] != quote)
      ++i;
    if (i >= n || record[i] == delimiter) {
      const std::string_view raw = record.substr(start, i - start);
      const bool not_null = column < force_not_null_.size() && force_not_null_[column];
      spans_.push_back(Span{false, start, raw.size(), raw == format_.null_string && !not_null});
    } else {
      const size_t at = scratch_.size();
      scratch_.append(record.substr(start, i - start));
      bool in_quote = false;
      while (i < n) {
        const char c = record[i];
        if (in_quote) {
          if (c == escape && i + 1 < n && (record[i + 1] == quote || record[i + 1] == escape) &&
              (escape != quote || record[i + 1] == quote)) {
            scratch_.push_back(record[i + 1]);
            i += 2;
            continue;
          }
          if (c == quote) {
            in_quote = false;
          } else {
            scratch_.push_back(c);
          }
        } else if (c == delimiter) {
          break;
        } else if (c == quote) {
          in_quote = true;
        } else {
          scratch_.push_back(c);
        }
        ++i;
      }
      if (in_quote)
        return Error(ErrorCode::kInvalidTextRepresentation, "unterminated CSV quoted field");
      const std::string_view decoded = std::string_view(scratch_).substr(at);
      const bool to_null =
          column < force_null_.size() && force_null_[column] && decoded == format_.null_string;
      spans_.push_back(Span{true, at, scratch_.size() - at, to_null});
    }
    if (i >= n) break;
    ++i;
  }
  return Status::Ok();
}

// Binary COPY (copy_binary.h): the header once, then whole tuples; a tuple split across
// chunks waits in pending_ for the rest.
Status CopyDecoder::FeedBinary(std::string_view chunk, const RecordFn& on_record) {
  pending_.append(chunk);
  const std::string_view data(pending_);
  auto int_at = [&data](size_t at, size_t bytes) {
    uint64_t v = 0;
    for (size_t i = 0; i < bytes; ++i)
      v = (v << 8) | static_cast<uint8_t>(data[at + i]);
    return v;
  };
  size_t pos = 0;
  if (!binary_header_done_) {
    const size_t fixed = kBinaryCopySignature.size() + 8;
    if (data.size() < fixed) {
      if (data.substr(0, std::min(data.size(), kBinaryCopySignature.size())) !=
          kBinaryCopySignature.substr(0, std::min(data.size(), kBinaryCopySignature.size()))) {
        return Error(ErrorCode::kInvalidTextRepresentation, "COPY file signature not recognized");
      }
      return Status::Ok();
    }
    if (data.substr(0, kBinaryCopySignature.size()) != kBinaryCopySignature) {
      return Error(ErrorCode::kInvalidTextRepresentation, "COPY file signature not recognized");
    }
    const uint32_t flags = static_cast<uint32_t>(int_at(11, 4));
    if ((flags & (1u << 16)) != 0) {
      return Error(ErrorCode::kFeatureNotSupported, "binary COPY data with OIDs is not supported");
    }
    if ((flags >> 16) != 0) {
      return Error(ErrorCode::kInvalidTextRepresentation,
                   "unrecognized critical flags in COPY file header");
    }
    const uint64_t extension = int_at(15, 4);
    if (extension > max_record_bytes_) {
      return Error(ErrorCode::kInvalidTextRepresentation,
                   "invalid COPY file header (wrong length)");
    }
    if (data.size() < fixed + extension) return Status::Ok();
    pos = fixed + extension;
    binary_header_done_ = true;
  }
  while (!ended_ && data.size() - pos >= 2) {
    const int16_t count = static_cast<int16_t>(int_at(pos, 2));
    if (count == -1) {
      ended_ = true;
      pos += 2;
      break;
    }
    if (count < 0) {
      ++line_;
      return Error(ErrorCode::kInvalidTextRepresentation, "invalid field count in binary COPY");
    }
    size_t at = pos + 2;
    bool complete = true;
    fields_.clear();
    for (int16_t i = 0; i < count; ++i) {
      if (data.size() - at < 4) {
        complete = false;
        break;
      }
      const int32_t length = static_cast<int32_t>(int_at(at, 4));
      at += 4;
      if (length == -1) {
        fields_.push_back(CopyField{{}, true});
        continue;
      }
      if (length < 0) {
        ++line_;
        return Error(ErrorCode::kInvalidTextRepresentation, "invalid field size in binary COPY");
      }
      if (data.size() - at < static_cast<size_t>(length)) {
        complete = false;
        break;
      }
      fields_.push_back(CopyField{data.substr(at, static_cast<size_t>(length)), false});
      at += static_cast<size_t>(length);
    }
    if (!complete) break;
    ++line_;
    TDB_RETURN_IF_ERROR(on_record(line_, fields_));
    pos = at;
  }
  if (!ended_ && data.size() - pos > max_record_bytes_) {
    ++line_;
    return Error(ErrorCode::kRequestTooLarge,
                 "a COPY record is longer than " + std::to_string(max_record_bytes_) + " bytes");
  }
  pending_.erase(0, ended_ ? pending_.size() : pos);
  return Status::Ok();
}

}  // namespace tenantdb::sql
