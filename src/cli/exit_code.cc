#include "cli/commands.h"

namespace tenantdb::cli {

namespace {
int g_exit_code = 0;
}

void SetExitCode(int code) {
  g_exit_code = code;
}
int ExitCode() {
  return g_exit_code;
}

}  // namespace tenantdb::cli
