// Writes the result of a DuckDB query to a Parquet file with DuckDB's own writer.
//
// Usage: node duckdb_write.mjs OUT.parquet "SELECT ..." ["EXTRA COPY OPTIONS"]
// e.g. node duckdb_write.mjs /tmp/x.parquet "SELECT 1 AS a" "COMPRESSION zstd, ROW_GROUP_SIZE 1000"
import { DuckDBInstance } from '@duckdb/node-api';

const [out, sql, extra] = process.argv.slice(2);
if (!out || !sql) {
  console.error('usage: node duckdb_write.mjs OUT.parquet "SELECT ..." ["COPY OPTIONS"]');
  process.exit(2);
}
const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
await conn.run('SET threads = 1');
const options = ['FORMAT parquet'].concat(extra ? [extra] : []).join(', ');
await conn.run(`COPY (${sql}) TO '${out.replaceAll("'", "''")}' (${options})`);
