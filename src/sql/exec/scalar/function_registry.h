// Internal to sql/exec/scalar: each *_functions.cc file adds its functions to the registry
// scalar_functions.cc builds, and shares a few helpers.
#pragma once

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "sql/exec/scalar/scalar_functions.h"

namespace tenantdb::sql {

void AddStringFunctions(std::vector<ScalarFunction>* out);
void AddMathFunctions(std::vector<ScalarFunction>* out);
void AddDatetimeFunctions(std::vector<ScalarFunction>* out);
void AddIdFunctions(std::vector<ScalarFunction>* out);

// This thread's random generator, seeded from std::random_device on first use.
std::mt19937_64& ThreadRandom();

// The hex MD5 digest of `data` (RFC 1321), 32 lower-case characters.
std::string Md5Hex(std::string_view data);

}  // namespace tenantdb::sql
