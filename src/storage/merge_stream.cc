#include "storage/merge_stream.h"

#include <algorithm>
#include <cassert>

#include "storage/hot/key_codec.h"

namespace tenantdb {

struct MergeStream::Source {
  std::unique_ptr<VersionSource> source;
  std::optional<SourceBatch> batch;  // the current batch; rows [pos, end) are still to merge
  bool keys_valid = false;
  size_t pos = 0;
  size_t end = 0;
  bool exhausted = false;
  bool stop_after_batch = false;  // the upper bound ends inside the current batch
  std::string last_key;           // of the previous batch, when its keys were known
  bool has_last_key = false;

  std::string_view Key(size_t row) const {
    const std::vector<uint32_t>& ends = batch->key_ends;
    const uint32_t begin = row == 0 ? 0 : ends[row - 1];
    return std::string_view(batch->key_bytes).substr(begin, ends[row] - begin);
  }
  bool Deleted(size_t row) const {
    const Batch& rows = batch->rows;
    return rows.column(rows.num_columns() - 1).values<uint8_t>()[row] != 0;
  }
};

namespace {

bool PassesLower(std::string_view key, const EncodedKeyBound& b) {
  const std::string_view cut = key.substr(0, b.key.size());
  return cut > b.key || (b.inclusive && cut == b.key);
}

bool PassesUpper(std::string_view key, const EncodedKeyBound& b) {
  const std::string_view cut = key.substr(0, b.key.size());
  return cut < b.key || (b.inclusive && cut == b.key);
}

// The first row in [begin, end) for which `pred` is false; `pred` must be true on a
// prefix of the rows and false on the rest.
template <typename Pred>
size_t PartitionPoint(size_t begin, size_t end, Pred pred) {
  while (begin < end) {
    const size_t mid = begin + (end - begin) / 2;
    if (pred(mid)) {
      begin = mid + 1;
    } else {
      end = mid;
    }
  }
  return begin;
}

}  // namespace

MergeStream::MergeStream(std::vector<std::unique_ptr<VersionSource>> newest_first,
                         MergeOptions options)
    : options_(std::move(options)) {
  for (auto& s : newest_first) {
    auto source = std::make_unique<Source>();
    source->source = std::move(s);
    sources_.push_back(std::move(source));
  }
  if (options_.batch_rows == 0) options_.batch_rows = 1;
  std::vector<Field> fields;
  for (size_t p : options_.projection)
    fields.push_back(options_.table_schema->field(p));
  output_schema_ = std::make_shared<Schema>(fields, SchemaMetadata{});
  Field deleted;
  deleted.name = "_deleted";
  deleted.type = DataType::kBoolean;
  deleted.nullable = false;
  fields.push_back(std::move(deleted));
  projected_schema_ = std::make_shared<Schema>(std::move(fields), SchemaMetadata{});
}

MergeStream::~MergeStream() = default;

Status MergeStream::EnsureKeys(Source& s) {
  if (s.keys_valid) return Status::Ok();
  SourceBatch& b = *s.batch;
  const size_t rows = b.rows.num_rows();
  if (b.key_ends.size() != rows) {  // the source gave none: encode them from the columns
    b.key_bytes.clear();
    b.key_ends.clear();
    b.key_ends.reserve(rows);
    for (size_t r = 0; r < rows; ++r) {
      for (size_t c : options_.key_columns)
        TDB_RETURN_IF_ERROR(AppendKeyColumnAt(b.rows.column(c), r, &b.key_bytes));
      b.key_ends.push_back(static_cast<uint32_t>(b.key_bytes.size()));
    }
  }
  s.keys_valid = true;
  // The merge is only right on strictly ascending sources: check every key it relies on.
  for (size_t r = 0; r < rows; ++r) {
    const bool ordered = r == 0 ? !s.has_last_key || std::string_view(s.last_key) < s.Key(0)
                                : s.Key(r - 1) < s.Key(r);
    if (!ordered) {
      return Status(ErrorCode::kCorruption,
                    "row versions of " + s.source->Describe() +
                        " are not in strictly ascending primary-key order; the merge of hot and "
                        "flushed rows cannot read them (STORAGE COMPACT TABLE rewrites them "
                        "sorted)");
    }
  }
  return Status::Ok();
}

Status MergeStream::Fill(Source& s) {
  while (!s.exhausted && s.pos >= s.end) {
    if (s.batch.has_value() && s.keys_valid && s.batch->key_ends.size() > 0) {
      s.last_key.assign(s.Key(s.batch->key_ends.size() - 1));
      s.has_last_key = true;
    } else if (s.batch.has_value()) {
      s.has_last_key = false;  // unknown: the next batch's first key is not checked
    }
    s.batch.reset();
    if (s.stop_after_batch) {
      s.exhausted = true;
      break;
    }
    TDB_ASSIGN_OR_RETURN(std::optional<SourceBatch> next, s.source->Next());
    if (!next.has_value()) {
      s.exhausted = true;
      break;
    }
    s.batch = std::move(next);
    s.keys_valid = false;
    s.pos = 0;
    s.end = s.batch->rows.num_rows();
    if (options_.lower || options_.upper) {
      TDB_RETURN_IF_ERROR(EnsureKeys(s));
      if (options_.lower) {
        s.pos = PartitionPoint(0, s.end,
                               [&](size_t r) { return !PassesLower(s.Key(r), *options_.lower); });
      }
      if (options_.upper) {
        const size_t stop = PartitionPoint(
            s.pos, s.end, [&](size_t r) { return PassesUpper(s.Key(r), *options_.upper); });
        if (stop < s.end) s.stop_after_batch = true;
        s.end = stop;
      }
    }
  }
  return Status::Ok();
}

void MergeStream::Emit(Source& s, size_t begin, size_t end, std::optional<Batch>* whole) {
  size_t live = 0;
  for (size_t r = begin; r < end; ++r)
    live += s.Deleted(r) ? 0 : 1;
  if (live == 0) return;
  const size_t room = options_.limit == 0 ? live : std::min(live, options_.limit - emitted_);
  Batch& rows = s.batch->rows;
  if (!pending_.has_value() && begin == 0 && end == rows.num_rows() && room == live &&
      live == end - begin) {
    // The whole batch, nothing deleted: hand it on without copying.
    *whole = std::move(rows);
    emitted_ += live;
    return;
  }
  if (!pending_.has_value()) pending_.emplace(projected_schema_);
  Batch& out = *pending_;
  std::vector<uint32_t> taken;
  taken.reserve(room);
  for (size_t r = begin; r < end && taken.size() < room; ++r) {
    if (!s.Deleted(r)) taken.push_back(static_cast<uint32_t>(r));
  }
  for (size_t c = 0; c < rows.num_columns(); ++c)
    out.mutable_column(c).AppendRows(rows.column(c), taken);
  emitted_ += taken.size();
}

Batch MergeStream::Output(Batch projected) const {
  if (!options_.table_layout) {
    Batch out(output_schema_);
    for (size_t j = 0; j < out.num_columns(); ++j)
      out.mutable_column(j) = std::move(projected.mutable_column(j));
    return out;
  }
  Batch out(options_.table_schema);
  const size_t n = projected.num_rows();
  std::vector<bool> filled(out.num_columns(), false);
  for (size_t j = 0; j < options_.projection.size(); ++j) {
    out.mutable_column(options_.projection[j]) = std::move(projected.mutable_column(j));
    filled[options_.projection[j]] = true;
  }
  for (size_t c = 0; c < out.num_columns(); ++c) {
    if (filled[c]) continue;
    out.mutable_column(c).AppendNulls(n);
  }
  return out;
}

Result<std::optional<Batch>> MergeStream::Next() {
  std::vector<Source*> active;
  active.reserve(sources_.size());
  while (options_.limit == 0 || emitted_ < options_.limit) {
    active.clear();
    for (auto& s : sources_) {
      if (s->exhausted) continue;
      TDB_RETURN_IF_ERROR(Fill(*s));
      if (!s->exhausted) active.push_back(s.get());
    }
    if (active.empty()) break;
    Source* m = active[0];
    size_t run_end = m->end;
    if (active.size() > 1) {
      for (Source* s : active)
        TDB_RETURN_IF_ERROR(EnsureKeys(*s));
      // The smallest head; on a tie the newest source (first in `active`) wins ...
      for (Source* s : active) {
        if (s->Key(s->pos) < m->Key(m->pos)) m = s;
      }
      // ... and the older versions of that key are dropped.
      bool skipped = false;
      for (Source* s : active) {
        if (s != m && s->Key(s->pos) == m->Key(m->pos)) {
          ++s->pos;
          skipped = true;
        }
      }
      if (skipped) continue;  // refill the sources that ran out, then pick again
      std::string_view next;
      bool have_next = false;
      for (Source* s : active) {
        if (s == m) continue;
        if (!have_next || s->Key(s->pos) < next) next = s->Key(s->pos);
        have_next = true;
      }
      // m's rows below every other head: usually the whole rest of its batch.
      run_end = m->end;
      if (!(m->Key(m->end - 1) < next)) {
        run_end = PartitionPoint(m->pos, m->end, [&](size_t r) { return m->Key(r) < next; });
      }
      assert(run_end > m->pos);
    }
    std::optional<Batch> whole;
    Emit(*m, m->pos, run_end, &whole);
    m->pos = run_end;
    if (whole.has_value()) {
      assert(!pending_.has_value());  // Emit moves a batch only when none is assembled
      return std::optional<Batch>(Output(std::move(*whole)));
    }
    if (pending_.has_value() && pending_->num_rows() >= options_.batch_rows) {
      Batch out = std::move(*pending_);
      pending_.reset();
      return std::optional<Batch>(Output(std::move(out)));
    }
  }
  if (pending_.has_value() && pending_->num_rows() > 0) {
    Batch out = std::move(*pending_);
    pending_.reset();
    return std::optional<Batch>(Output(std::move(out)));
  }
  pending_.reset();
  return std::optional<Batch>();
}

}  // namespace tenantdb
