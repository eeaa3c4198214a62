// DuckDB's side of tenantdb's TPC-H runs (`tenantdb bench tpch`, `tenantdb tpch check`):
// loads a generated data set (src/cli/tpch/tpch_files.h) and runs the queries tenantdb
// wrote out, single-threaded, timing each.
//
// Usage: node duckdb_tpch.mjs DATA_DIR WORK_DIR OUT_FILE
//   DATA_DIR  manifest.txt and the '|'-separated table files it lists
//   WORK_DIR  schema.sql (CREATE TABLE statements, one per line) and qNN.sql files, each
//             a query's statements separated by ";\n"; the rows of the statement that
//             starts with "select" are the answer
//   OUT_FILE  written as lines:
//     load MS
//     query N ok MS NCOLS NROWS      then a line of column names and NROWS lines of cells
//     query N error MS MESSAGE
//   Cells are separated by tabs; a tab, newline or backslash in a value is escaped as
//   \t, \n, \\; NULL is \N.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dataDir, workDir, outFile] = process.argv.slice(2);
if (!dataDir || !workDir || !outFile) {
  console.error('usage: node duckdb_tpch.mjs DATA_DIR WORK_DIR OUT_FILE');
  process.exit(2);
}
const quote = (s) => "'" + s.replaceAll("'", "''") + "'";
const escape = (v) => {
  if (v === null || v === undefined) return '\\N';
  return String(v).replaceAll('\\', '\\\\').replaceAll('\t', '\\t').replaceAll('\n', '\\n');
};
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

const conn = await (await DuckDBInstance.create(':memory:')).connect();
await conn.run('SET threads = 1');
const out = [];

let start = nowMs();
for (const ddl of readFileSync(join(workDir, 'schema.sql'), 'utf8').split('\n')) {
  if (ddl.trim() !== '') await conn.run(ddl);
}
for (const line of readFileSync(join(dataDir, 'manifest.txt'), 'utf8').split('\n')) {
  const words = line.trim().split(/\s+/);
  if (words[0] !== 'table') continue;
  for (const file of words.slice(3)) {
    await conn.run(`COPY ${words[1]} FROM ${quote(join(dataDir, file))} ` +
                   `(FORMAT csv, DELIMITER '|', HEADER false)`);
  }
}
out.push(`load ${nowMs() - start}`);

const files = readdirSync(workDir).filter((f) => /^q\d+\.sql$/.test(f)).sort();
for (const file of files) {
  const n = Number(file.slice(1, -4));
  const statements = readFileSync(join(workDir, file), 'utf8').split(';\n');
  start = nowMs();
  try {
    let answer = null;
    for (const sql of statements) {
      const reader = await conn.runAndReadAll(sql);
      if (/^\s*select/i.test(sql)) answer = reader;
    }
    const ms = nowMs() - start;
    const rows = answer.getRows();
    const columns = answer.columnNames();
    out.push(`query ${n} ok ${ms} ${columns.length} ${rows.length}`);
    out.push(columns.map(escape).join('\t'));
    for (const row of rows) out.push(row.map(escape).join('\t'));
  } catch (e) {
    const message = String(e.message ?? e).replaceAll('\n', ' ');
    out.push(`query ${n} error ${nowMs() - start} ${message}`);
  }
}
writeFileSync(outFile, out.join('\n') + '\n');
