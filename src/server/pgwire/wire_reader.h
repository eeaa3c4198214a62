// WireReader: bounds-checked reads of the protocol's big-endian integers and
// NUL-terminated strings from one message body. Every read returns false, consuming
// nothing, when the body is too short, so decoders never read past a message.
//
// Thread safety: a value over a view; the viewed bytes must outlive it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tenantdb::server::pgwire {

class WireReader {
 public:
  explicit WireReader(std::string_view data) : data_(data) {}

  bool Byte(uint8_t* out) {
    if (data_.empty()) return false;
    *out = static_cast<uint8_t>(data_[0]);
    data_.remove_prefix(1);
    return true;
  }
  bool Int16(int16_t* out) {
    if (data_.size() < 2) return false;
    *out = static_cast<int16_t>((U(0) << 8) | U(1));
    data_.remove_prefix(2);
    return true;
  }
  bool Int32(int32_t* out) {
    if (data_.size() < 4) return false;
    *out = static_cast<int32_t>((U(0) << 24) | (U(1) << 16) | (U(2) << 8) | U(3));
    data_.remove_prefix(4);
    return true;
  }
  // A string up to its NUL (not included); false when there is no NUL.
  bool CString(std::string* out) {
    const size_t nul = data_.find('\0');
    if (nul == std::string_view::npos) return false;
    out->assign(data_.substr(0, nul));
    data_.remove_prefix(nul + 1);
    return true;
  }
  bool Bytes(size_t n, std::string_view* out) {
    if (data_.size() < n) return false;
    *out = data_.substr(0, n);
    data_.remove_prefix(n);
    return true;
  }

  size_t remaining() const { return data_.size(); }
  bool done() const { return data_.empty(); }

 private:
  uint32_t U(size_t i) const { return static_cast<uint8_t>(data_[i]); }
  std::string_view data_;
};

}  // namespace tenantdb::server::pgwire
