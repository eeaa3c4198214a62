// Reads a Parquet file with DuckDB and prints every value in a canonical text form, so a
// C++ test can compare it exactly with what tenantdb wrote or read.
//
// Usage: node duckdb_read.mjs FILE.parquet
// Output: line 1: DuckDB column types, tab-separated.
//         line 2: column names (hex of UTF-8), tab-separated.
//         then one line per row: per column "\N" for NULL, else the hex of the UTF-8
//         canonical text: BOOLEAN true/false; integers decimal; FLOAT/DOUBLE DuckDB's
//         shortest round-trip text (inf, -inf, nan); VARCHAR/JSON the text itself;
//         BLOB upper-case hex; DATE days since 1970-01-01; TIMESTAMP[TZ] microseconds
//         since the epoch; UUID 8-4-4-4-12.
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
if (!file) {
  console.error('usage: node duckdb_read.mjs FILE.parquet');
  process.exit(2);
}
const quote = (s) => "'" + s.replaceAll("'", "''") + "'";
const ident = (s) => '"' + s.replaceAll('"', '""') + '"';
const hex = (s) => Buffer.from(s, 'utf8').toString('hex');

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
await conn.run('SET threads = 1');
const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quote(file)})`);
const columns = described.getRows().map((r) => ({ name: String(r[0]), type: String(r[1]) }));

function canonical(c) {
  const col = ident(c.name);
  switch (c.type) {
    case 'BLOB': return `hex(${col})`;
    case 'DATE': return `CAST(date_diff('day', DATE '1970-01-01', ${col}) AS VARCHAR)`;
    case 'TIMESTAMP':
    case 'TIMESTAMP_S':
    case 'TIMESTAMP_MS':
    case 'TIMESTAMP_NS':
    case 'TIMESTAMP WITH TIME ZONE': return `CAST(epoch_us(${col}) AS VARCHAR)`;
    default: return `CAST(${col} AS VARCHAR)`;
  }
}

const select = columns.map(canonical).join(', ');
const result = await conn.runAndReadAll(
    `SELECT ${select} FROM read_parquet(${quote(file)}, file_row_number = false)`);
const lines = [columns.map((c) => c.type).join('\t'), columns.map((c) => hex(c.name)).join('\t')];
for (const row of result.getRows()) {
  lines.push(row.map((v) => (v === null ? '\\N' : hex(String(v)))).join('\t'));
}
process.stdout.write(lines.join('\n') + '\n');
