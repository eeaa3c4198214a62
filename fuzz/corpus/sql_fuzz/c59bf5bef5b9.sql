SELECT metric_name FROM system.stats WHERE metric_name IN ('cache_hits', 'cache_misses',
  'cache_evictions', 'cache_entries', 'unique_schemas', 'schema_dedup_rate', 'heap_bytes')