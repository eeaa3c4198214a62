// The TPC-H data generator (`tenantdb tpch generate`, `tenantdb bench tpch`): the eight
// tables of the TPC-H specification (clause 4.2), written from its rules — cardinalities
// per scale factor, key layouts (sparse O_ORDERKEY, the PS_SUPPKEY formula, customers
// whose key is a multiple of 3 have no orders), value domains, dates, the prices derived
// from P_RETAILPRICE, O_TOTALPRICE and O_ORDERSTATUS from the order's lines, the comment
// grammar (tpch_text.h) and the 'Customer ... Complaints' supplier comments of Q16.
// Deterministic for a seed; not byte-equal to the reference generator, which nothing
// here needs: every engine compared loads these same files (tpch_files.h).
//
// Thread safety: a free function; concurrent calls need different directories.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "cli/tpch/tpch_files.h"
#include "common/status.h"

namespace tenantdb::cli::tpch {

struct GenerateOptions {
  double sf = 0.01;  // scale factor; SF 1 is 6 million lineitem rows, about 1 GB of CSV
  uint64_t seed = 1;
  uint64_t rows_per_file = 1'000'000;  // the largest part of a table's files
  // The comment text pool (tpch_text.h); smaller pools generate faster (tests).
  size_t text_pool_bytes = 8 << 20;
};

// The rows of a table at scale factor `sf` (lineitem: the order count; its lines vary).
int64_t ScaledRows(int64_t rows_at_sf1, double sf);

// Writes the eight tables and manifest.txt into `dir` (created if missing; files of an
// earlier set are overwritten).
Result<Manifest> Generate(const std::string& dir, const GenerateOptions& options);

}  // namespace tenantdb::cli::tpch
