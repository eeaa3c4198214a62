// TextPool: the comment text of the TPC-H tables (clause 4.2.2.10 to 4.2.2.14). A pool of
// sentences is generated once from the specification's grammar
//
//   sentence     = NP VP T | NP VP PP T | NP VP NP T | NP PP VP NP T | NP PP VP PP T
//   NP (noun phrase)  = noun | adjective noun | adjective, adjective noun
//                       | adverb adjective noun
//   VP (verb phrase)  = verb | auxiliary verb | verb adverb | auxiliary verb adverb
//   PP (prepositional phrase) = preposition "the" NP
//   T (terminator)    = . ; : ? ! --
//
// and every comment is a substring of it of a random length within the column's range,
// starting at a random offset (as the specification's generator does: comments may
// start or end inside a word). The specification's pool holds 300 MB; a smaller pool
// (kDefaultPoolBytes) gives the same word frequencies, which is what the queries'
// LIKE patterns ('%special%requests%') depend on.
//
// Thread safety: const methods may run concurrently; Comment() needs the caller's random.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "cli/tpch/tpch_random.h"

namespace tenantdb::cli::tpch {

class TextPool {
 public:
  static constexpr size_t kDefaultPoolBytes = 8 << 20;

  // Generates `bytes` of sentences with `random`.
  TextPool(TpchRandom& random, size_t bytes = kDefaultPoolBytes);

  // A comment of a length uniform in [min_len, max_len] (max_len < the pool's size).
  std::string_view Comment(TpchRandom& random, int min_len, int max_len) const;

  // One sentence of the grammar, appended to `out` (for tests and the pool itself).
  static void AppendSentence(TpchRandom& random, std::string* out);

 private:
  std::string pool_;
};

}  // namespace tenantdb::cli::tpch
