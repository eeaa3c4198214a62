#include "cli/tpch/tpch_text.h"

#include <cassert>

#include "cli/tpch/tpch_words.h"

namespace tenantdb::cli::tpch {

namespace {

void AppendWord(TpchRandom& random, WordList words, std::string* out) {
  if (!out->empty() && out->back() != ' ') out->push_back(' ');
  out->append(words[static_cast<size_t>(random.Uniform(0, int64_t(words.size()) - 1))]);
}

void AppendNounPhrase(TpchRandom& random, std::string* out) {
  switch (random.Uniform(0, 3)) {
    case 0:
      break;
    case 1:
      AppendWord(random, Adjectives(), out);
      break;
    case 2:
      AppendWord(random, Adjectives(), out);
      out->push_back(',');
      AppendWord(random, Adjectives(), out);
      break;
    default:
      AppendWord(random, Adverbs(), out);
      AppendWord(random, Adjectives(), out);
      break;
  }
  AppendWord(random, Nouns(), out);
}

void AppendVerbPhrase(TpchRandom& random, std::string* out) {
  const int64_t shape = random.Uniform(0, 3);
  if (shape == 1 || shape == 3) AppendWord(random, Auxiliaries(), out);
  AppendWord(random, Verbs(), out);
  if (shape >= 2) AppendWord(random, Adverbs(), out);
}

void AppendPrepositionalPhrase(TpchRandom& random, std::string* out) {
  AppendWord(random, Prepositions(), out);
  out->append(" the");
  AppendNounPhrase(random, out);
}

}  // namespace

void TextPool::AppendSentence(TpchRandom& random, std::string* out) {
  AppendNounPhrase(random, out);
  switch (random.Uniform(0, 4)) {
    case 0:
      AppendVerbPhrase(random, out);
      break;
    case 1:
      AppendVerbPhrase(random, out);
      AppendPrepositionalPhrase(random, out);
      break;
    case 2:
      AppendVerbPhrase(random, out);
      AppendNounPhrase(random, out);
      break;
    case 3:
      AppendPrepositionalPhrase(random, out);
      AppendVerbPhrase(random, out);
      AppendNounPhrase(random, out);
      break;
    default:
      AppendPrepositionalPhrase(random, out);
      AppendVerbPhrase(random, out);
      AppendPrepositionalPhrase(random, out);
      break;
  }
  // The terminator follows the last word directly; the next sentence starts after a blank.
  out->append(Terminators()[static_cast<size_t>(random.Uniform(0, 5))]);
  out->push_back(' ');
}

TextPool::TextPool(TpchRandom& random, size_t bytes) {
  pool_.reserve(bytes + 256);
  while (pool_.size() < bytes)
    AppendSentence(random, &pool_);
}

std::string_view TextPool::Comment(TpchRandom& random, int min_len, int max_len) const {
  assert(min_len <= max_len && static_cast<size_t>(max_len) < pool_.size());
  const auto length = static_cast<size_t>(random.Uniform(min_len, max_len));
  const auto offset = static_cast<size_t>(random.Uniform(0, int64_t(pool_.size() - length)));
  std::string_view text(pool_.data() + offset, length);
  // A comment never starts or ends with a blank: CSV readers that trim would disagree.
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  return text;
}

}  // namespace tenantdb::cli::tpch
