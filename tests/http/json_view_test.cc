// AppendJsonViewCell (json_text.h) over RowBatch::ColumnView (tenantdb/result.h): the
// SQL API renders cells from column views, so every cell of every type a view carries,
// NULL or not, must come out exactly as AppendJsonValue writes the cell's Value (read
// through the checked accessor); and a type the view does not carry must be left to
// AppendJsonCell.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "server/http/json_text.h"
#include "tenantdb/database.h"

namespace tenantdb::server::http {
namespace {

TEST(JsonView, EveryCellOfAViewIsWrittenAsItsValueIs) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("tdb_json_view_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    Database::Options options;
    options.background_jobs = false;
    std::unique_ptr<Database> db = std::move(Database::Open(dir.string(), options)).value();
    std::unique_ptr<Session> session = std::move(db->Connect("root", Role::kSystem)).value();
    ASSERT_TRUE(session
                    ->Execute("CREATE TABLE cells (id INT PRIMARY KEY, b BOOLEAN, s SMALLINT, "
                              "i INT, g BIGINT, r REAL, d DOUBLE, t TEXT, j JSON, y BYTEA, "
                              "dt DATE, ts TIMESTAMP, tz TIMESTAMPTZ, u UUID, iv INTERVAL, "
                              "n NUMERIC(10, 2), a INT[])")
                    .ok());
    // Rows past the first byte of the validity bitmap, NULLs in every column on some.
    for (int id = 1; id <= 19; ++id) {
      const bool null = id % 3 == 0;
      const std::string v = std::to_string(id);
      const std::string row =
          null ? "(" + v +
                     ", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                     "NULL, NULL, NULL, NULL, NULL)"
               : "(" + v + ", " + (id % 2 ? "true" : "false") + ", " + v + ", -" + v +
                     ", 9007199254740993, 0.1, 1e300, 'te\"xt " + v + " \u00e9', '{\"k\": [" + v +
                     "]}', '\\x00ff" + (id < 10 ? "0" : "") + v +
                     "', '2024-02-29', '1999-12-31 23:59:59.5', " +
                     "'2026-12-05 04:00:00+00', '00000000-0000-0000-0000-0000000000" +
                     (id < 10 ? "0" : "") + v + "', '1 day 02:00:00', " + v + ".25, '{1," + v +
                     "}')";
      auto r = session->Execute("INSERT INTO cells VALUES " + row);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
    }
    auto cursor = session->Query("SELECT * FROM cells ORDER BY id");
    ASSERT_TRUE(cursor.ok()) << cursor.status().ToString();
    const std::vector<Column>& columns = (*cursor)->columns();
    size_t cells = 0;
    size_t rows_in_place = 0;
    while (true) {
      auto more = (*cursor)->Next();
      ASSERT_TRUE(more.ok()) << more.status().ToString();
      if (!*more) break;
      const RowBatch& batch = (*cursor)->batch();
      // Whole rows written in place (AppendJsonViewRow): the same cells in brackets, for
      // the columns it writes; a row with a JSON value (or BYTEA, or an unviewed column)
      // is left to the cell-by-cell path.
      std::vector<RowBatch::ColumnView> in_place, with_json;
      for (size_t c = 0; c < columns.size(); ++c) {
        const DataType t = columns[c].type;
        if (t == DataType::kJson) with_json.push_back(batch.ViewColumn(c));
        if (t == DataType::kJson || t == DataType::kBytea || t == DataType::kUuid ||
            t == DataType::kInterval || t == DataType::kNumeric || IsArray(t)) {
          continue;
        }
        in_place.push_back(batch.ViewColumn(c));
        if (with_json.size() == 1) with_json.push_back(batch.ViewColumn(c));
      }
      for (size_t row = 0; row < batch.num_rows(); ++row) {
        std::string expected = "[";
        for (size_t c = 0; c < in_place.size(); ++c) {
          if (c > 0) expected += ',';
          ASSERT_TRUE(AppendJsonViewCell(in_place[c], row, &expected));
        }
        expected += ']';
        std::string actual = "x";
        ASSERT_TRUE(AppendJsonViewRow(in_place, row, &actual)) << "row " << row;
        EXPECT_EQ(actual, "x" + expected) << "row " << row;
        ++rows_in_place;
        // A JSON cell is written in place only when NULL.
        std::string left = "x";
        const bool json_null = with_json[0].IsNull(row);
        EXPECT_EQ(AppendJsonViewRow(with_json, row, &left), json_null) << "row " << row;
        if (!json_null) {
          EXPECT_EQ(left, "x");
        }
      }
      // Runs of rows (AppendJsonViewRows): the single rows joined by commas; a stop after
      // the row that reaches `stop_bytes`; a refused row ends the run (and is not written).
      std::vector<std::string> singles;
      for (size_t row = 0; row < batch.num_rows(); ++row) {
        std::string one;
        ASSERT_TRUE(AppendJsonViewRow(in_place, row, &one));
        singles.push_back(one);
      }
      for (size_t first = 0; first < batch.num_rows(); ++first) {
        std::string run = "x", expected = "x";
        for (size_t row = first; row < batch.num_rows(); ++row)
          expected += "," + singles[row];
        EXPECT_EQ(AppendJsonViewRows(in_place, first, batch.num_rows(), /*comma_first=*/true,
                                     std::numeric_limits<size_t>::max(), &run),
                  batch.num_rows() - first);
        EXPECT_EQ(run, expected) << "from row " << first;
        // Stopped once the output reaches 1 + the first row + 1 byte: two rows written.
        if (first + 2 <= batch.num_rows()) {
          std::string stopped = "x";
          EXPECT_EQ(AppendJsonViewRows(in_place, first, batch.num_rows(), /*comma_first=*/false,
                                       2 + singles[first].size(), &stopped),
                    2u);
          EXPECT_EQ(stopped, "x" + singles[first] + "," + singles[first + 1]);
        }
        // The rows before the first non-NULL JSON cell, then none.
        size_t json_from = first;
        while (json_from < batch.num_rows() && with_json[0].IsNull(json_from))
          ++json_from;
        std::string refused = "x";
        EXPECT_EQ(AppendJsonViewRows(with_json, first, batch.num_rows(), /*comma_first=*/false,
                                     std::numeric_limits<size_t>::max(), &refused),
                  json_from - first)
            << "from row " << first;
        if (json_from == first) {
          EXPECT_EQ(refused, "x");
        }
      }
      for (size_t c = 0; c < columns.size(); ++c) {
        const RowBatch::ColumnView view = batch.ViewColumn(c);
        EXPECT_EQ(view.type, columns[c].type) << columns[c].name;
        const bool carried = columns[c].type != DataType::kUuid &&
                             columns[c].type != DataType::kInterval &&
                             columns[c].type != DataType::kNumeric && !IsArray(columns[c].type);
        for (size_t row = 0; row < batch.num_rows(); ++row) {
          std::string expected, actual;
          AppendJsonValue(batch.GetValue(row, c).value(), &expected);
          std::string cell;
          AppendJsonCell(batch, row, c, columns[c].type, &cell);
          EXPECT_EQ(cell, expected) << columns[c].name << " row " << row;
          const bool written = AppendJsonViewCell(view, row, &actual);
          EXPECT_EQ(written, carried) << columns[c].name;
          if (written) {
            EXPECT_EQ(actual, expected) << columns[c].name << " row " << row;
            ++cells;
          } else {
            EXPECT_EQ(actual, "") << columns[c].name;
          }
        }
      }
    }
    EXPECT_EQ(cells, 19u * 13u);  // id and the 12 other types a view carries
    EXPECT_EQ(rows_in_place, 19u);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tenantdb::server::http
