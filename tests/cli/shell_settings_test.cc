// The shell's settings (\pset, \x, \set), terminal widths and completion candidates: the
// parts of the interactive shell that need no terminal.
#include <gtest/gtest.h>

#include "cli/display_width.h"
#include "cli/shell_completion.h"
#include "cli/shell_output.h"
#include "cli/shell_settings.h"

namespace tenantdb::cli {
namespace {

TEST(DisplayWidth, WideCharactersTakeTwoColumnsAndMarksNone) {
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("héllo"), 5u);     // é is one character
  EXPECT_EQ(DisplayWidth("漢字"), 4u);      // CJK: wide
  EXPECT_EQ(DisplayWidth("한국어"), 6u);    // Hangul syllables: wide
  EXPECT_EQ(DisplayWidth("ｶﾀｶﾅ"), 4u);      // halfwidth katakana: narrow
  EXPECT_EQ(DisplayWidth("😀"), 2u);         // emoji: wide
  EXPECT_EQ(DisplayWidth("e\u0301"), 1u);   // e + combining acute
  EXPECT_EQ(DisplayWidth("a\u200Bb"), 2u);  // zero-width space
  EXPECT_EQ(DisplayWidth("\xff"), 1u);      // a stray byte: one replacement character
  EXPECT_EQ(DisplayWidth("\xe6\xbc"), 2u);  // a cut sequence: its bytes
}

TEST(ShellSettings, PsetChangesAndDescribesEachSetting) {
  ShellSettings s;
  EXPECT_EQ(*ApplyPset(&s, "null", "(null)"), "Null display is \"(null)\".");
  EXPECT_EQ(s.table.null_text, "(null)");
  EXPECT_EQ(*ApplyPset(&s, "format", "CSV"), "Output format is csv.");
  EXPECT_EQ(s.format, OutputFormat::kCsv);
  EXPECT_EQ(*ApplyPset(&s, "expanded", ""), "Expanded display is on.");
  EXPECT_EQ(*ApplyPset(&s, "expanded", ""), "Expanded display is off.");
  EXPECT_EQ(*ApplyPset(&s, "expanded", "auto"), "Expanded display is used automatically.");
  EXPECT_EQ(s.expanded, ExpandedMode::kAuto);
  EXPECT_EQ(*ApplyPset(&s, "pager", "always"), "Pager is always used.");
  EXPECT_EQ(*ApplyPset(&s, "pager", "off"), "Pager usage is off.");
  EXPECT_EQ(s.pager, PagerMode::kOff);

  EXPECT_EQ(ApplyPset(&s, "format", "xml").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ApplyPset(&s, "expanded", "maybe").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ApplyPset(&s, "colour", "on").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.format, OutputFormat::kCsv);  // failed changes change nothing
}

TEST(ShellSettings, OnErrorStopIsABooleanVariable) {
  ShellSettings s;
  EXPECT_FALSE(s.on_error_stop());
  ASSERT_TRUE(SetVariable(&s, "ON_ERROR_STOP", "1").ok());
  EXPECT_TRUE(s.on_error_stop());
  ASSERT_TRUE(SetVariable(&s, "ON_ERROR_STOP", "off").ok());
  EXPECT_FALSE(s.on_error_stop());
  ASSERT_TRUE(SetVariable(&s, "ON_ERROR_STOP", "").ok());  // psql: set without a value = on
  EXPECT_TRUE(s.on_error_stop());
  EXPECT_FALSE(SetVariable(&s, "ON_ERROR_STOP", "sometimes").ok());
  EXPECT_TRUE(s.on_error_stop());
  ASSERT_TRUE(UnsetVariable(&s, "ON_ERROR_STOP").ok());
  EXPECT_FALSE(s.on_error_stop());

  ASSERT_TRUE(SetVariable(&s, "greeting", "hello world").ok());
  EXPECT_EQ(ListVariables(s), "greeting = 'hello world'\n");
  EXPECT_FALSE(SetVariable(&s, "bad-name", "x").ok());
}

TEST(ShellOutput, CountsLinesAndColumns) {
  EXPECT_EQ(LineCount("a\nbb\n"), 2u);
  EXPECT_EQ(WidestLine("a\n漢字漢\nbb\n"), 6u);
  EXPECT_EQ(WidestLine(""), 0u);
}

TEST(ShellOutput, RedirectsToAFileAndBack) {
  ShellOutput out;
  const std::string path = ::testing::TempDir() + "/shell_output_test.txt";
  ASSERT_TRUE(out.Redirect(path).ok());
  out.Write("one\n", PagerMode::kAlways);  // never a pager for a file
  ASSERT_TRUE(out.Redirect("").ok());
  std::FILE* f = std::fopen(path.c_str(), "r");
  ASSERT_NE(f, nullptr);
  char buf[16] = {};
  EXPECT_EQ(std::fread(buf, 1, sizeof buf - 1, f), 4u);
  std::fclose(f);
  EXPECT_STREQ(buf, "one\n");
  EXPECT_EQ(out.Redirect("/nonexistent-dir/x").code(), ErrorCode::kIoError);
}

CompletionNames Names() {
  CompletionNames n;
  n.namespaces = {"chat", "default", "system"};
  n.tables = {{"chat", "messages"}, {"chat", "members"}, {"default", "notes"}};
  n.columns["chat.messages"] = {"id", "thread_id", "content"};
  n.columns["chat.members"] = {"member_id"};
  n.columns["default.notes"] = {"note"};
  return n;
}

TEST(ShellCompletion, KeywordsInTheCaseTyped) {
  using V = std::vector<std::string>;
  EXPECT_EQ(CompletionCandidates("", "SEL", Names(), "default"), V({"SELECT"}));
  EXPECT_EQ(CompletionCandidates("", "sel", Names(), "default"), V({"select"}));
  EXPECT_EQ(CompletionCandidates("SELECT * ", "FR", Names(), "default"), V({"FROM"}));
}

TEST(ShellCompletion, NamespacesTablesAndColumnsOfNamedTables) {
  using V = std::vector<std::string>;
  // Bare tables of the current namespace; qualified ones after a dot.
  EXPECT_EQ(CompletionCandidates("SELECT * FROM ", "no", Names(), "default"), V({"not", "notes"}));
  EXPECT_EQ(CompletionCandidates("SELECT * FROM ", "no", Names(), "chat"), V({"not"}));
  EXPECT_EQ(CompletionCandidates("SELECT * FROM ", "chat.me", Names(), "default"),
            V({"chat.members", "chat.messages"}));
  EXPECT_EQ(CompletionCandidates("SELECT * FROM ", "ch", Names(), "default"), V({"chat"}));
  // Columns of the tables the line names, not of others.
  EXPECT_EQ(CompletionCandidates("SELECT * FROM chat.messages WHERE ", "th", Names(), "default"),
            V({"then", "thread_id"}));
  EXPECT_EQ(CompletionCandidates("SELECT * FROM notes WHERE ", "TH", Names(), "default"),
            V({"THEN"}));
  EXPECT_EQ(CompletionCandidates("SELECT * FROM notes WHERE ", "no", Names(), "default"),
            V({"not", "note", "notes"}));
}

TEST(ShellCompletion, MetaCommandsAfterABackslash) {
  using V = std::vector<std::string>;
  EXPECT_EQ(CompletionCandidates("\\", "t", Names(), "default"), V({"timing"}));
  EXPECT_EQ(CompletionCandidates("  \\", "d", Names(), "default"), V({"d", "dn", "dt"}));
}

}  // namespace
}  // namespace tenantdb::cli
