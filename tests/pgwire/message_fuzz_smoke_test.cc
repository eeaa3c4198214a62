// The pgwire_message_fuzz target's entry point (fuzz/pgwire_message_fuzz.cc, compiled
// into this test) run over its checked-in corpus and deterministic mutations of it
// (byte flips, truncations, splices), so every ctest run under ASan + UBSan exercises the
// decoder with hostile input even where clang's libFuzzer is not built (scripts/fuzz.sh
// runs the real fuzzer).
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

int FuzzOne(const std::string& input) {
  return LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

TEST(PgMessageFuzzSmoke, CorpusAndMutationsDecodeWithoutCrashing) {
  std::vector<std::string> corpus;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(TENANTDB_SOURCE_DIR) / "fuzz/corpus/pgwire_message_fuzz")) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    corpus.push_back(bytes.str());
  }
  ASSERT_GE(corpus.size(), 4u);
  std::mt19937 random(20261201);
  for (const std::string& seed : corpus)
    EXPECT_EQ(FuzzOne(seed), 0);
  for (int i = 0; i < 20000; ++i) {
    std::string input = corpus[random() % corpus.size()];
    switch (random() % 4) {
      case 0:  // flip a few bytes
        for (int k = 0; k < 1 + static_cast<int>(random() % 4); ++k)
          input[random() % input.size()] = static_cast<char>(random());
        break;
      case 1:  // truncate
        input.resize(random() % input.size());
        break;
      case 2:  // splice two seeds
        input = input.substr(0, random() % input.size()) +
                corpus[random() % corpus.size()].substr(0, 64);
        break;
      default:  // a large or negative length word somewhere
        if (input.size() > 8) {
          const size_t at = random() % (input.size() - 4);
          const uint32_t v = random() % 2 ? 0x7fffffffu : static_cast<uint32_t>(random());
          for (int b = 0; b < 4; ++b)
            input[at + static_cast<size_t>(b)] = static_cast<char>(v >> (24 - 8 * b));
        }
        break;
    }
    ASSERT_EQ(FuzzOne(input), 0);
  }
}

}  // namespace
