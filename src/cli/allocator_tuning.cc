#include "cli/allocator_tuning.h"

#include <malloc.h>

namespace tenantdb::cli {

void TuneAllocator() {
  // Setting either turns off glibc's dynamic threshold, which would otherwise rise to
  // the size of each freed block and keep the trim threshold at twice that.
  (void)mallopt(M_MMAP_THRESHOLD, static_cast<int>(kMmapThresholdBytes));
  (void)mallopt(M_TRIM_THRESHOLD, static_cast<int>(kTrimThresholdBytes));
}

}  // namespace tenantdb::cli
