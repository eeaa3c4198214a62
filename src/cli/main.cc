// The tenantdb binary. Each subcommand registers itself from its own file; this file only
// builds the command line and dispatches.
#include <cstdio>

#include "CLI/CLI.hpp"
#include "cli/allocator_tuning.h"
#include "cli/commands.h"

int main(int argc, char** argv) {
  tenantdb::cli::TuneAllocator();
  CLI::App app{"tenantdb: a multi-tenant SQL database"};
  app.require_subcommand(1);
  tenantdb::cli::RegisterServeCommand(app);
  tenantdb::cli::RegisterShellCommands(app);
  tenantdb::cli::RegisterBenchCommands(app);
  tenantdb::cli::RegisterUserCommands(app);
  tenantdb::cli::RegisterTpchCommands(app);
  CLI11_PARSE(app, argc, argv);
  return tenantdb::cli::ExitCode();
}
