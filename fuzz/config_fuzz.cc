// libFuzzer target: configuration files (server/config/server_config.h), which an
// operator writes and a typo must never crash. A file that parses must print back (key
// by key, ServerConfigValueAsToml) to a file that parses to the same configuration.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "server/config/server_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tenantdb::server;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const tenantdb::Result<ServerConfig> config = ParseServerConfig(text, "fuzz.toml");
  if (!config.ok()) {
    if (config.status().message().empty()) std::abort();  // every error says why
    return 0;
  }
  std::string printed;
  std::string_view section;
  for (const ConfigKeyInfo& info : ServerConfigKeys()) {
    if (info.section != section) printed += "[" + std::string(section = info.section) + "]\n";
    printed += std::string(info.key) + " = " +
               ServerConfigValueAsToml(*config, info.section, info.key) + "\n";
  }
  const tenantdb::Result<ServerConfig> again = ParseServerConfig(printed, "printed.toml");
  if (!again.ok() || !(*again == *config)) std::abort();
  return 0;
}
