// The fixed value lists of the TPC-H specification (clause 4.2.2.13 and 4.2.3): the
// words of the comment grammar, the colors of P_NAME, the syllables of P_TYPE and
// P_CONTAINER, market segments, priorities, ship instructions and modes, and the 25
// nations with their regions. The generator (tpch_generator.h) and the text pool
// (tpch_text.h) draw from them; the queries' substitution parameters name values from
// them (e.g. 'ECONOMY ANODIZED STEEL', 'forest', 'SAUDI ARABIA').
//
// The specification gives most lists with weights for the reference generator; this
// generator draws uniformly, which keeps every value the queries look for present.
#pragma once

#include <span>
#include <string_view>

namespace tenantdb::cli::tpch {

using WordList = std::span<const std::string_view>;

// P_NAME: five distinct colors (92 words).
WordList Colors();
// P_TYPE: one word of each syllable list ("ECONOMY ANODIZED STEEL").
WordList TypeSyllable1();
WordList TypeSyllable2();
WordList TypeSyllable3();
// P_CONTAINER: "SM CASE", "MED BOX", ...
WordList ContainerSyllable1();
WordList ContainerSyllable2();
WordList Segments();      // C_MKTSEGMENT
WordList Priorities();    // O_ORDERPRIORITY
WordList Instructions();  // L_SHIPINSTRUCT
WordList Modes();         // L_SHIPMODE

// The grammar's parts of speech (clause 4.2.2.13).
WordList Nouns();
WordList Verbs();
WordList Adjectives();
WordList Adverbs();
WordList Prepositions();
WordList Auxiliaries();
WordList Terminators();

struct Nation {
  std::string_view name;
  int region;
};
// N_NATIONKEY is the index (0..24).
std::span<const Nation> Nations();
// R_REGIONKEY is the index (0..4).
WordList Regions();

}  // namespace tenantdb::cli::tpch
