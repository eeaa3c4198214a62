// Registration of the tenantdb binary's subcommands with CLI11. Each Register function
// adds one subcommand tree whose callbacks do the work; ExitCode() is what main returns
// after CLI11 has run the chosen callback.
#pragma once

#include "CLI/CLI.hpp"

namespace tenantdb::cli {

// `tenantdb shell` and `tenantdb sql` (shell.cc).
void RegisterShellCommands(CLI::App& app);

// `tenantdb serve`: the HTTP server (serve_command.cc).
void RegisterServeCommand(CLI::App& app);

// `tenantdb bench catalog|ids|cache ...`: benchmarks that print one JSON object last.
void RegisterBenchCommands(CLI::App& app);

// `tenantdb user set-password|check-password <name>` (user_command.cc).
void RegisterUserCommands(CLI::App& app);

// `tenantdb tpch generate|check`: TPC-H data and the correctness check (tpch/tpch_command.cc).
void RegisterTpchCommands(CLI::App& app);

// Set by a command that failed; main returns it.
void SetExitCode(int code);
int ExitCode();

}  // namespace tenantdb::cli
