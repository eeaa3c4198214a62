#!/usr/bin/env python3
"""Extracts the SQL examples of a docs/ page into sqllogictest and runs them.

Owns the mapping from the user guide's ```sql blocks to slt records (the format
tests/slt/slt_parser.h reads), so every SQL example in docs/ runs in CI and the guide
cannot drift from the code. docs/README.md ("How the examples are tested") describes
the block syntax for writers; in short, inside a ```sql fence:

  * A statement ends at a line ending in `;`. Blank lines and `--` comment lines
    between statements are prose, with one exception:
      -- connected as alice               -> `connection alice` (role user)
      -- connected as ops (role dba)      -> `connection ops dba`
    switches the session that runs the following statements, on this page, until the
    next such line (`-- connected as root` is the page's initial session: user root,
    role system, namespace default).
  * `--` lines that follow a statement's last line directly (no blank line between)
    are its expected outcome:
      -- ERROR: text                      the statement fails and its error (printed
                                          as "code_name: message") contains `text`
      -- INSERT 0 3 / UPDATE 2 / DELETE 1 the statement succeeds and changes that many
         (also COPY n)                    rows (slt `statement count`)
      -- (no rows)                        a query that returns no rows
      -- a | b | c                        one result row per line, columns separated by
                                          ` | `; values print as slt_runner prints them
                                          (NULL, (empty) for '', true/false, PostgreSQL's
                                          text for the rest)
      -- (any order)                      as the first line: compare rows sorted
    A statement with no outcome lines must simply succeed.
  * Fences other than ```sql (sh, text, json, toml, ...) are not run; ```psql,
    ```postgresql and other spellings of SQL are refused, so an SQL example cannot slip
    out of the test by its fence.

Every page runs in a fresh database (slt_runner makes one per file), top to bottom, so a
page may build on its earlier examples but never on another page's. slt_runner runs in
an empty scratch directory, so relative file names in examples stay inside it.

Usage:
  doc_examples.py extract PAGE.md [OUT.slt]   write the slt (stdout without OUT)
  doc_examples.py run SLT_RUNNER PAGE.md...   extract and run each page; failures are
                                              reported as PAGE.md:LINE; exit 1 if any
"""

import os
import re
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([^\s`]*)(.*)$")
REFUSED_LANGS = {"psql", "pgsql", "postgresql", "postgres", "plpgsql", "mysql", "sqlite"}
CONNECTED = re.compile(r"^--\s*connected as ([A-Za-z0-9_.@-]+)(?:\s+\(role (\w+)\))?\s*$")
COUNT_TAG = re.compile(r"^(?:INSERT 0|UPDATE|DELETE|COPY) (\d+)$")


class DocError(Exception):
    pass


def sql_blocks(path, text):
    """Yields (first_line_number, [lines]) for every ```sql block of a Markdown page."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, lang = m.group(1), m.group(2), m.group(3)
        start = i + 1
        j = start
        while j < len(lines):
            close = lines[j].strip()
            if close.startswith(fence[0] * len(fence)) and close.strip(fence[0]) == "":
                break
            j += 1
        if j == len(lines):
            raise DocError(f"{path}:{i + 1}: code fence is never closed")
        if lang.lower() in REFUSED_LANGS or (lang.lower() == "sql" and lang != "sql"):
            raise DocError(f"{path}:{i + 1}: write SQL examples as ```sql (they are tested); "
                           f"use ```text for output that is not SQL")
        if lang == "sql":
            body = [ln[len(indent):] if ln.startswith(indent) else ln for ln in lines[start:j]]
            yield start + 1, body
        i = j + 1


def parse_outcome(path, line_no, outcome):
    """Turns the `--` lines after a statement into (kind, payload)."""
    texts = []
    for n, raw in outcome:
        body = raw.strip()[2:]
        texts.append((n, body[1:] if body.startswith(" ") else body))
    first_n, first = texts[0]
    if first.startswith("ERROR:"):
        if len(texts) > 1:
            raise DocError(f"{path}:{first_n}: an ERROR outcome is one line")
        expected = first[len("ERROR:"):].strip()
        return ("error", expected)
    m = COUNT_TAG.match(first.strip())
    if m and len(texts) == 1:
        return ("count", int(m.group(1)))
    if first.strip() == "(no rows)":
        if len(texts) > 1:
            raise DocError(f"{path}:{first_n}: (no rows) stands alone")
        return ("empty", None)
    sort = "nosort"
    if first.strip() == "(any order)":
        sort = "rowsort"
        texts = texts[1:]
        if not texts:
            raise DocError(f"{path}:{first_n}: (any order) needs rows after it")
    rows = []
    width = None
    for n, t in texts:
        values = [v.strip() for v in t.split(" | ")]
        if width is None:
            width = len(values)
        elif len(values) != width:
            raise DocError(f"{path}:{n}: {len(values)} values where the first row has {width}")
        rows.append(values)
    return ("rows", (sort, width, rows))


def extract(path, text):
    """Returns (slt_text, {slt_line: md_line})."""
    out = [f"# Extracted from {path} by tests/docs/doc_examples.py; do not edit.", ""]
    line_map = {}

    def record(md_line, lines):
        line_map[len(out) + 1] = md_line
        out.extend(lines)
        out.append("")

    for block_start, body in sql_blocks(path, text):
        statement = []  # (md_line, text)
        i = 0
        while i < len(body):
            n = block_start + i
            line = body[i]
            stripped = line.strip()
            if not statement:
                if stripped == "":
                    i += 1
                    continue
                if stripped.startswith("--"):
                    m = CONNECTED.match(stripped)
                    if m:
                        record(n, ["connection " + m.group(1) + (" " + m.group(2) if m.group(2) else "")])
                    elif stripped.startswith("-- connected"):
                        raise DocError(f"{path}:{n}: write `-- connected as NAME [(role ROLE)]`")
                    i += 1
                    continue
            statement.append((n, line))
            i += 1
            if not stripped.endswith(";"):
                continue
            # The statement is complete: its outcome lines follow directly.
            outcome = []
            while i < len(body) and body[i].strip().startswith("--"):
                outcome.append((block_start + i, body[i]))
                i += 1
            sql_lines = [t for _, t in statement]
            sql_lines[-1] = sql_lines[-1].rstrip()[:-1].rstrip()  # the closing ';'
            while sql_lines and sql_lines[-1].strip() == "":
                sql_lines.pop()
            if any(t.strip() == "" for t in sql_lines):
                raise DocError(f"{path}:{statement[0][0]}: a statement may not contain a blank line")
            md_line = statement[0][0]
            statement = []
            if not outcome:
                record(md_line, ["statement ok"] + sql_lines)
                continue
            kind, payload = parse_outcome(path, md_line, outcome)
            if kind == "error":
                record(md_line, [("statement error " + payload).rstrip()] + sql_lines)
            elif kind == "count":
                record(md_line, [f"statement count {payload}"] + sql_lines)
            elif kind == "empty":
                record(md_line, ["query I", "SELECT count(*) FROM ("] + sql_lines +
                       [") AS doc_rows", "----", "0"])
            else:
                sort, width, rows = payload
                record(md_line, [f"query {'T' * width} {sort}"] + sql_lines + ["----"] +
                       ["\t".join(r) for r in rows])
        if statement:
            raise DocError(f"{path}:{statement[0][0]}: statement does not end with ';' "
                           f"at the end of a line")
    return "\n".join(out) + "\n", line_map


def run(runner, pages):
    failed = False
    for page in pages:
        with open(page, encoding="utf-8") as f:
            text = f.read()
        shown = os.path.relpath(page)
        try:
            slt, line_map = extract(shown, text)
        except DocError as e:
            print(f"error: {e}")
            failed = True
            continue
        if not line_map:
            print(f"{shown}: no SQL examples")
            continue
        with tempfile.NamedTemporaryFile("w", suffix=".slt", prefix="doc-", delete=False,
                                         encoding="utf-8") as tmp:
            tmp.write(slt)
            slt_path = tmp.name
        # In a scratch working directory: relative paths in the examples (CREATE STORAGE's
        # BASE_DIRECTORY, COPY's files) land there and go with it.
        try:
            with tempfile.TemporaryDirectory(prefix="doc-cwd-") as cwd:
                proc = subprocess.run([os.path.abspath(runner), slt_path], cwd=cwd,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        finally:
            os.unlink(slt_path)
        # slt_runner names failures as FILE:LINE of the slt; point at the page instead.
        def to_page(m):
            line = int(m.group(1))
            return f"{shown}:{line_map.get(line, '?')}:"
        output = re.sub(re.escape(slt_path) + r":(\d+):", to_page, proc.stdout)
        output = output.replace(slt_path, shown)
        sys.stdout.write(output)
        if proc.returncode != 0:
            failed = True
    return 1 if failed else 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "extract" and len(argv) <= 4:
        with open(argv[2], encoding="utf-8") as f:
            text = f.read()
        try:
            slt, _ = extract(argv[2], text)
        except DocError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        if len(argv) == 4:
            with open(argv[3], "w", encoding="utf-8") as f:
                f.write(slt)
        else:
            sys.stdout.write(slt)
        return 0
    if len(argv) >= 4 and argv[1] == "run":
        return run(argv[2], argv[3:])
    print(__doc__.split("Usage:")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
