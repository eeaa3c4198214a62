// The shell's `\copy`, as psql's: COPY with a file of the client's rather than the
// server's, run as COPY ... FROM STDIN / TO STDOUT.
//
//   \copy t [(cols)] FROM 'file' [WITH (...) | CSV HEADER ...]
//   \copy t [(cols)] | (query) TO 'file' [options]
//
// The file is read in 1 MiB chunks into the statement's CopyIn sink (or the encoded
// lines are written to it); a big load reports its progress on stderr (on a terminal).
// Thread safety: the shell's thread.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace tenantdb::cli {

struct ShellCopy {
  bool from = false;  // FROM (load) or TO (unload)
  std::string path;   // the client's file
  std::string sql;    // COPY ... FROM STDIN / TO STDOUT with the options
};

// Parses `\copy`'s argument. Errors: syntax_error naming what is missing.
Result<ShellCopy> ParseShellCopy(std::string_view argument);

}  // namespace tenantdb::cli
