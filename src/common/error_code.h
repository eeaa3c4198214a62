// Moved to the public API: see include/tenantdb/status.h (ErrorCode).
#pragma once

#include "tenantdb/status.h"
