// BatchStream: a pull interface for row batches — what a table scan returns, so rows
// flow from storage (hot RocksDB rows, Parquet files) to the operators a batch at a
// time instead of being materialized whole.
//
// Contract: Next() returns the next batch, or nullopt once the stream is exhausted
// (and on every call after that). A returned batch may be empty of rows only when the
// producer says so; consumers must accept it. After an error the stream must not be
// pulled again. A stream owns (or keeps alive) everything it reads from: it may outlive
// the call that made it, but not the store/database that made it.
//
// Thread safety: a stream is used by one thread at a time. Cost: whatever the producer
// says; VectorBatchStream holds its batches until they are pulled.
#pragma once

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "common/status.h"
#include "types/batch.h"

namespace tenantdb {

class BatchStream {
 public:
  virtual ~BatchStream() = default;
  virtual Result<std::optional<Batch>> Next() = 0;
  // True when the rows come in the order the read asked for (an ordered index read:
  // tables/table_provider.h's ScanRequest::index_order), so a reader that needs the
  // first n rows in that order may stop pulling after them. False: no order promised.
  virtual bool ordered() const { return false; }
  // When the batches hold only some of a table's columns (a reader that allowed it:
  // ScanRequest::projected): their positions in the table's layout, ascending. nullptr:
  // the batches have the table's whole layout.
  virtual const std::vector<size_t>* columns() const { return nullptr; }
};

using BatchStreamPtr = std::unique_ptr<BatchStream>;

// A stream over batches built up front (system tables, small result sets): each
// Next() hands the next one out and forgets it.
class VectorBatchStream final : public BatchStream {
 public:
  explicit VectorBatchStream(std::vector<Batch> batches) : batches_(std::move(batches)) {}
  Result<std::optional<Batch>> Next() override {
    if (next_ >= batches_.size()) {
      batches_.clear();
      return std::optional<Batch>();
    }
    return std::optional<Batch>(std::move(batches_[next_++]));
  }

 private:
  std::vector<Batch> batches_;
  size_t next_ = 0;
};

inline BatchStreamPtr MakeVectorStream(std::vector<Batch> batches) {
  return std::make_unique<VectorBatchStream>(std::move(batches));
}

// Pulls every batch of `stream` (for callers that need all rows, and for tests).
inline Result<std::vector<Batch>> DrainStream(BatchStream& stream) {
  std::vector<Batch> out;
  while (true) {
    TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, stream.Next());
    if (!batch.has_value()) return out;
    out.push_back(std::move(*batch));
  }
}

}  // namespace tenantdb
