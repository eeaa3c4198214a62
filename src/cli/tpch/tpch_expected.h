// The TPC-H queries tenantdb answers correctly today (SF 0.01, the limits of
// `tenantdb tpch check`, the same answer as DuckDB). `tpch_correctness_test` (ctest) fails
// when one of them stops matching, so the list is the honest state of the planner: the
// rest fail by timeout (comma joins planned as cross products), by memory, by a missing
// feature, or give a wrong answer — see docs/tpch.md.
//
// This is the one place the list lives. As the planner work of issue 15 lands (join
// planning from WHERE, join ordering, statistics, decorrelation), add the queries it
// fixes — `tpch check` names the ones that pass but are missing here — until all 22 are.
#pragma once

#include <array>

namespace tenantdb::cli::tpch {

// Q5 times out still: its six-table join with a cycle (c_nationkey = s_nationkey).
inline constexpr std::array kExpectedCorrect = {1,  2,  3,  4,  6,  7,  8,  9,  10, 11, 12,
                                                13, 14, 15, 16, 17, 18, 19, 20, 21, 22};

}  // namespace tenantdb::cli::tpch
