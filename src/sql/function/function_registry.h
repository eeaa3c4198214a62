// Internal to sql/function: each *_functions.cc file adds its functions to the registry
// scalar_functions.cc builds, and shares a few helpers.
#pragma once

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "sql/function/scalar_functions.h"

namespace tenantdb::sql {

// Appends a function with a signature table to a registry under construction.
void Add(std::vector<ScalarFunction>* out, std::string_view name,
         std::vector<FunctionSignature> signatures, ScalarEvalFn eval, bool is_volatile = false);

void AddStringFunctions(std::vector<ScalarFunction>* out);
void AddMathFunctions(std::vector<ScalarFunction>* out);
void AddDatetimeFunctions(std::vector<ScalarFunction>* out);
void AddIdFunctions(std::vector<ScalarFunction>* out);
void AddPgCatalogFunctions(std::vector<ScalarFunction>* out);
void AddRegexFunctions(std::vector<ScalarFunction>* out);
void AddJsonFunctions(std::vector<ScalarFunction>* out);
void AddIntervalFunctions(std::vector<ScalarFunction>* out);

// extract(unit FROM interval) and date_trunc(unit, interval), `unit` canonical
// (interval_functions.cc; datetime_functions.cc dispatches to them).
Result<Value> ExtractFromInterval(const std::string& unit, const Interval& v);
Result<Value> TruncateInterval(const std::string& unit, const Interval& v);

// This thread's random generator, seeded from std::random_device on first use.
std::mt19937_64& ThreadRandom();

}  // namespace tenantdb::sql
