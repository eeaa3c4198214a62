// Moved to the public API: see include/tenantdb/status.h (Status, Result<T>).
#pragma once

#include "tenantdb/status.h"
