// Read-copy-update for read-mostly shared structures (the catalog cache), on liburcu's
// "bulletproof" flavour, which needs no explicit thread registration.
//
// Readers open an RcuReadSection; any object they reach through an RCU-published pointer
// stays allocated until the section closes. Writers unpublish an object, then hand its
// release to RcuDefer(), which runs it after every section open at that moment has
// closed. Read sections cost a few thread-local operations and never write shared cache
// lines, which is what lets lookups scale across cores.
//
// Rules: sections nest; never call RcuBarrier() inside a section (it would wait for
// itself). Thread safety: every function may be called from any thread.
#pragma once

#include <functional>

namespace tenantdb {

class RcuReadSection {
 public:
  RcuReadSection();
  ~RcuReadSection();
  RcuReadSection(const RcuReadSection&) = delete;
  RcuReadSection& operator=(const RcuReadSection&) = delete;
};

// Runs `fn` on liburcu's callback thread after a grace period.
void RcuDefer(std::function<void()> fn);

// Waits until every callback deferred before the call has run.
void RcuBarrier();

}  // namespace tenantdb
