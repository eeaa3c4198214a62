#include "sql/exec/memory_estimate.h"

namespace tenantdb::sql {

size_t BatchBytes(const Batch& batch) {
  size_t bytes = 0;
  for (size_t c = 0; c < batch.num_columns(); ++c)
    bytes += batch.column(c).MemoryBytes();
  return bytes;
}

size_t BatchesBytes(const std::vector<Batch>& batches) {
  size_t bytes = 0;
  for (const Batch& b : batches)
    bytes += BatchBytes(b);
  return bytes;
}

}  // namespace tenantdb::sql
