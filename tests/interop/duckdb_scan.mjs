// Times DuckDB scanning one column of a set of Parquet files, single-threaded: the peer
// figure of `tenantdb bench storage`.
//
// Usage: node duckdb_scan.mjs COLUMN AGGREGATE FILE... (AGGREGATE e.g. max, count)
// Output: one line, the best of three runs in seconds, then the aggregate's value.
import { DuckDBInstance } from '@duckdb/node-api';

const [column, aggregate, ...files] = process.argv.slice(2);
if (!column || !aggregate || files.length === 0) {
  console.error('usage: node duckdb_scan.mjs COLUMN AGGREGATE FILE...');
  process.exit(2);
}
const quote = (s) => "'" + s.replaceAll("'", "''") + "'";
const list = '[' + files.map(quote).join(', ') + ']';
const conn = await (await DuckDBInstance.create(':memory:')).connect();
await conn.run('SET threads = 1');
let best = Infinity;
let value = null;
for (let i = 0; i < 3; ++i) {
  const t0 = process.hrtime.bigint();
  const result = await conn.runAndReadAll(
      `SELECT ${aggregate}("${column}") FROM read_parquet(${list})`);
  best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  value = result.getRows()[0][0];
}
console.log(`${best} ${value}`);
