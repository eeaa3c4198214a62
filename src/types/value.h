// Moved to the public API: see include/tenantdb/value.h (Value).
#pragma once

#include "tenantdb/value.h"
