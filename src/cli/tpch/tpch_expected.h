// The TPC-H queries tenantdb answers correctly (SF 0.01, the limits of `tenantdb tpch
// check`, the same answer as DuckDB): all 22. `tpch_correctness_test` (ctest) fails when
// one of them stops matching.
#pragma once

#include <array>

namespace tenantdb::cli::tpch {

inline constexpr std::array kExpectedCorrect = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                                12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22};

}  // namespace tenantdb::cli::tpch
