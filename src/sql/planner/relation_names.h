// RelationNames: what the binder asks the catalog when a statement names a table that
// does not exist, to say what was probably meant ("did you mean", "exists in namespace
// chat"). Only error paths call it; each call costs a few catalog reads.
//
// Thread safety: may be called from any number of threads at once.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace tenantdb::sql {

class RelationNames {
 public:
  virtual ~RelationNames() = default;
  // The namespaces with a table or view called `name`, in name order.
  virtual Result<std::vector<std::string>> NamespacesWith(const std::string& name) const = 0;
  // Some table and view names of namespace `ns` (empty when it does not exist).
  virtual Result<std::vector<std::string>> NamesIn(const std::string& ns) const = 0;
  // Every namespace's name.
  virtual Result<std::vector<std::string>> Namespaces() const = 0;
};

}  // namespace tenantdb::sql
