// The server's clock is the database's (include/tenantdb/clock.h): token lifetimes read
// its wall clock, rate limiters its monotonic clock, so one ManualClock handed to both the
// Database and the server moves every timestamp a test looks at.
#pragma once

#include "tenantdb/clock.h"

namespace tenantdb::server {

using Clock = ::tenantdb::Clock;
using ManualClock = ::tenantdb::ManualClock;

}  // namespace tenantdb::server
