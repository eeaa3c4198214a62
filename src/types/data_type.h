// Moved to the public API: see include/tenantdb/value.h (DataType).
#pragma once

#include "tenantdb/value.h"
