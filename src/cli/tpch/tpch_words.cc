#include "cli/tpch/tpch_words.h"

#include <array>

namespace tenantdb::cli::tpch {

namespace {

constexpr std::array<std::string_view, 92> kColors = {
    "almond",   "antique",   "aquamarine", "azure",      "beige",     "bisque",    "black",
    "blanched", "blue",      "blush",      "brown",      "burlywood", "burnished", "chartreuse",
    "chiffon",  "chocolate", "coral",      "cornflower", "cornsilk",  "cream",     "cyan",
    "dark",     "deep",      "dim",        "dodger",     "drab",      "firebrick", "floral",
    "forest",   "frosted",   "gainsboro",  "ghost",      "goldenrod", "green",     "grey",
    "honeydew", "hot",       "indian",     "ivory",      "khaki",     "lace",      "lavender",
    "lawn",     "lemon",     "light",      "lime",       "linen",     "magenta",   "maroon",
    "medium",   "metallic",  "midnight",   "mint",       "misty",     "moccasin",  "navajo",
    "navy",     "olive",     "orange",     "orchid",     "pale",      "papaya",    "peach",
    "peru",     "pink",      "plum",       "powder",     "puff",      "purple",    "red",
    "rose",     "rosy",      "royal",      "saddle",     "salmon",    "sandy",     "seashell",
    "sienna",   "sky",       "slate",      "smoke",      "snow",      "spring",    "steel",
    "tan",      "thistle",   "tomato",     "turquoise",  "violet",    "wheat",     "white",
    "yellow"};

constexpr std::array<std::string_view, 6> kType1 = {"STANDARD", "SMALL",   "MEDIUM",
                                                    "LARGE",    "ECONOMY", "PROMO"};
constexpr std::array<std::string_view, 5> kType2 = {"ANODIZED", "BURNISHED", "PLATED", "POLISHED",
                                                    "BRUSHED"};
constexpr std::array<std::string_view, 5> kType3 = {"TIN", "NICKEL", "BRASS", "STEEL", "COPPER"};
constexpr std::array<std::string_view, 5> kContainer1 = {"SM", "LG", "MED", "JUMBO", "WRAP"};
constexpr std::array<std::string_view, 8> kContainer2 = {"CASE", "BOX",  "BAG", "JAR",
                                                         "PKG",  "PACK", "CAN", "DRUM"};
constexpr std::array<std::string_view, 5> kSegments = {"AUTOMOBILE", "BUILDING", "FURNITURE",
                                                       "MACHINERY", "HOUSEHOLD"};
constexpr std::array<std::string_view, 5> kPriorities = {"1-URGENT", "2-HIGH", "3-MEDIUM",
                                                         "4-NOT SPECIFIED", "5-LOW"};
constexpr std::array<std::string_view, 4> kInstructions = {"DELIVER IN PERSON", "COLLECT COD",
                                                           "NONE", "TAKE BACK RETURN"};
constexpr std::array<std::string_view, 7> kModes = {"REG AIR", "AIR",  "RAIL", "SHIP",
                                                    "TRUCK",   "MAIL", "FOB"};

constexpr std::array<std::string_view, 45> kNouns = {
    "foxes",     "ideas",     "theodolites", "pinto beans", "instructions",   "dependencies",
    "excuses",   "platelets", "asymptotes",  "courts",      "dolphins",       "multipliers",
    "sauternes", "warthogs",  "frets",       "dinos",       "attainments",    "somas",
    "Tiresias",  "patterns",  "forges",      "braids",      "hockey players", "frays",
    "warhorses", "dugouts",   "notornis",    "epitaphs",    "pearls",         "tithes",
    "waters",    "orbits",    "gifts",       "sheaves",     "depths",         "sentiments",
    "decoys",    "realms",    "pains",       "grouches",    "escapades",      "packages",
    "requests",  "accounts",  "deposits"};
constexpr std::array<std::string_view, 40> kVerbs = {
    "sleep",  "wake",   "are",       "cajole",   "haggle", "nag",   "use",     "boost",
    "affix",  "detect", "integrate", "maintain", "nod",    "was",   "lose",    "sublate",
    "solve",  "thrash", "promise",   "engage",   "hinder", "print", "x-ray",   "breach",
    "eat",    "grow",   "impress",   "mold",     "poach",  "serve", "run",     "dazzle",
    "snooze", "doze",   "unwind",    "kindle",   "play",   "hang",  "believe", "doubt"};
constexpr std::array<std::string_view, 29> kAdjectives = {
    "special", "pending", "unusual",  "express",   "furious",  "sly",  "careful", "blithe",
    "quick",   "fluffy",  "slow",     "quiet",     "ruthless", "thin", "close",   "dogged",
    "daring",  "brave",   "stealthy", "permanent", "enticing", "idle", "busy",    "regular",
    "final",   "ironic",  "even",     "bold",      "silent"};
constexpr std::array<std::string_view, 28> kAdverbs = {
    "sometimes", "always",    "never",   "furiously",  "slyly",       "carefully",  "blithely",
    "quickly",   "fluffily",  "slowly",  "quietly",    "ruthlessly",  "thinly",     "closely",
    "doggedly",  "daringly",  "bravely", "stealthily", "permanently", "enticingly", "idly",
    "busily",    "regularly", "finally", "ironically", "evenly",      "boldly",     "silently"};
constexpr std::array<std::string_view, 47> kPrepositions = {
    "about",        "above",   "according to", "across",  "after",       "against", "along",
    "alongside of", "among",   "around",       "at",      "atop",        "before",  "behind",
    "beneath",      "beside",  "besides",      "between", "beyond",      "by",      "despite",
    "during",       "except",  "for",          "from",    "in place of", "inside",  "instead of",
    "into",         "near",    "of",           "on",      "outside",     "over",    "past",
    "since",        "through", "throughout",   "to",      "toward",      "under",   "until",
    "up",           "upon",    "without",      "with",    "within"};
constexpr std::array<std::string_view, 18> kAuxiliaries = {
    "do",           "may",          "might",         "shall",         "will",
    "would",        "can",          "could",         "should",        "ought to",
    "must",         "will have to", "shall have to", "could have to", "should have to",
    "must have to", "need to",      "try to"};
constexpr std::array<std::string_view, 6> kTerminators = {".", ";", ":", "?", "!", "--"};

constexpr std::array<Nation, 25> kNations = {{
    {"ALGERIA", 0},       {"ARGENTINA", 1}, {"BRAZIL", 1}, {"CANADA", 1},
    {"EGYPT", 4},         {"ETHIOPIA", 0},  {"FRANCE", 3}, {"GERMANY", 3},
    {"INDIA", 2},         {"INDONESIA", 2}, {"IRAN", 4},   {"IRAQ", 4},
    {"JAPAN", 2},         {"JORDAN", 4},    {"KENYA", 0},  {"MOROCCO", 0},
    {"MOZAMBIQUE", 0},    {"PERU", 1},      {"CHINA", 2},  {"ROMANIA", 3},
    {"SAUDI ARABIA", 4},  {"VIETNAM", 2},   {"RUSSIA", 3}, {"UNITED KINGDOM", 3},
    {"UNITED STATES", 1},
}};
constexpr std::array<std::string_view, 5> kRegions = {"AFRICA", "AMERICA", "ASIA", "EUROPE",
                                                      "MIDDLE EAST"};

}  // namespace

WordList Colors() {
  return kColors;
}
WordList TypeSyllable1() {
  return kType1;
}
WordList TypeSyllable2() {
  return kType2;
}
WordList TypeSyllable3() {
  return kType3;
}
WordList ContainerSyllable1() {
  return kContainer1;
}
WordList ContainerSyllable2() {
  return kContainer2;
}
WordList Segments() {
  return kSegments;
}
WordList Priorities() {
  return kPriorities;
}
WordList Instructions() {
  return kInstructions;
}
WordList Modes() {
  return kModes;
}
WordList Nouns() {
  return kNouns;
}
WordList Verbs() {
  return kVerbs;
}
WordList Adjectives() {
  return kAdjectives;
}
WordList Adverbs() {
  return kAdverbs;
}
WordList Prepositions() {
  return kPrepositions;
}
WordList Auxiliaries() {
  return kAuxiliaries;
}
WordList Terminators() {
  return kTerminators;
}
std::span<const Nation> Nations() {
  return kNations;
}
WordList Regions() {
  return kRegions;
}

}  // namespace tenantdb::cli::tpch
