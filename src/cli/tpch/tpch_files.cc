#include "cli/tpch/tpch_files.h"

#include <cassert>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "tenantdb/value.h"

namespace tenantdb::cli::tpch {

namespace {

Status IoError(const std::string& what) {
  return Status(ErrorCode::kIoError, what + ": " + std::strerror(errno));
}

}  // namespace

const TableFiles* Manifest::Find(std::string_view table) const {
  for (const TableFiles& t : tables) {
    if (t.table == table) return &t;
  }
  return nullptr;
}

Status WriteManifest(const std::string& dir, const Manifest& manifest) {
  const std::string path = dir + "/manifest.txt";
  std::ofstream out(path, std::ios::trunc);
  char sf[32];
  std::snprintf(sf, sizeof(sf), "%g", manifest.sf);
  out << "tpch-data " << kFormatVersion << "\nsf " << sf << "\nseed " << manifest.seed << "\n";
  for (const TableFiles& t : manifest.tables) {
    out << "table " << t.table << " " << t.rows;
    for (const std::string& f : t.files)
      out << " " << f;
    out << "\n";
  }
  out.close();
  if (!out) return IoError("cannot write " + path);
  return Status::Ok();
}

Result<Manifest> ReadManifest(const std::string& dir) {
  const std::string path = dir + "/manifest.txt";
  std::ifstream in(path);
  if (!in) return Status(ErrorCode::kNotFound, "no TPC-H manifest at " + path);
  Manifest m;
  std::string line;
  int version = 0;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string key;
    words >> key;
    if (key == "tpch-data") {
      words >> version;
    } else if (key == "sf") {
      words >> m.sf;
    } else if (key == "seed") {
      words >> m.seed;
    } else if (key == "table") {
      TableFiles t;
      words >> t.table >> t.rows;
      std::string file;
      while (words >> file)
        t.files.push_back(file);
      m.tables.push_back(std::move(t));
    }
  }
  if (version != kFormatVersion) {
    return Status(ErrorCode::kNotFound, path + " is not a TPC-H manifest of format version " +
                                            std::to_string(kFormatVersion));
  }
  return m;
}

TableWriter::TableWriter(std::string dir, std::string table, uint64_t rows_per_file)
    : dir_(std::move(dir)), rows_per_file_(rows_per_file) {
  files_.table = std::move(table);
}

TableWriter::~TableWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

void TableWriter::Separator() {
  if (!line_.empty()) line_.push_back('|');
}

void TableWriter::Text(std::string_view value) {
  assert(value.find_first_of("|\"\n\r") == std::string_view::npos);
  Separator();
  line_.append(value);
}

void TableWriter::Int(int64_t value) {
  Separator();
  line_.append(std::to_string(value));
}

void TableWriter::Money(int64_t cents) {
  Separator();
  if (cents < 0) {
    line_.push_back('-');
    cents = -cents;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%lld.%02lld", static_cast<long long>(cents / 100),
                static_cast<long long>(cents % 100));
  line_.append(buf);
}

void TableWriter::Date(int32_t days) {
  Separator();
  line_.append(FormatDate(days));
}

Status TableWriter::OpenPart() {
  const std::string name = files_.table + "." + std::to_string(files_.files.size()) + ".csv";
  const std::string path = dir_ + "/" + name;
  file_ = std::fopen(path.c_str(), "w");
  if (file_ == nullptr) return IoError("cannot create " + path);
  files_.files.push_back(name);
  rows_in_part_ = 0;
  return Status::Ok();
}

Status TableWriter::EndRow() {
  if (file_ != nullptr && rows_in_part_ >= rows_per_file_) {
    if (std::fclose(file_) != 0) {
      file_ = nullptr;
      return IoError("cannot write " + files_.table);
    }
    file_ = nullptr;
  }
  if (file_ == nullptr) TDB_RETURN_IF_ERROR(OpenPart());
  line_.push_back('\n');
  if (std::fwrite(line_.data(), 1, line_.size(), file_) != line_.size()) {
    return IoError("cannot write " + files_.table);
  }
  line_.clear();
  ++rows_in_part_;
  ++files_.rows;
  return Status::Ok();
}

Result<TableFiles> TableWriter::Finish() {
  if (file_ == nullptr && files_.files.empty()) TDB_RETURN_IF_ERROR(OpenPart());
  if (file_ != nullptr) {
    const int rc = std::fclose(file_);
    file_ = nullptr;
    if (rc != 0) return IoError("cannot write " + files_.table);
  }
  return files_;
}

}  // namespace tenantdb::cli::tpch
