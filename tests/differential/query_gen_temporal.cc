// The query generator's NUMERIC, INTERVAL, TIMESTAMP and DATE expressions: exact decimal
// arithmetic with PostgreSQL's result scales, and date/time arithmetic over intervals.
//
// NUMERIC division results are rounded (round(x / y, k)): an unrounded quotient has 16
// to 20 fractional digits, and two of them multiplied pass tenantdb's 38 digits
// (docs/deviations.md, "NUMERIC holds 38 digits"). TIMESTAMPTZ is left out: its text
// depends on the session's time zone, which the two sides set differently.
#include <string>

#include "query_gen.h"

namespace tenantdb::differential {

std::string QueryGenerator::NumericExpr(const ExprContext& context, int depth) {
  const int d = depth - 1;
  auto numeric = [&]() { return Expr(SqlType::kNumeric, context, d); };
  auto places = [&]() { return std::to_string(rng_->Between(0, 3)); };
  static const char* kOps[] = {"+", "-", "*"};
  switch (rng_->Below(11)) {
    case 0:
    case 1:
      return Paren(numeric(), kOps[rng_->Below(3)],
                   rng_->Chance(0.3) ? Expr(SqlType::kInt, context, d) : numeric());
    case 2:
      return "round(" + Paren(numeric(), "/", Divisor(SqlType::kNumeric, context, d)) + ", " +
             places() + ")";
    case 3:
      return Paren(numeric(), "%", Divisor(SqlType::kNumeric, context, d));
    case 4: {
      static const char* kFunctions[] = {"abs", "ceil", "floor", "round", "trunc", "sign"};
      return Call(kFunctions[rng_->Below(6)], numeric());
    }
    case 5:
      return std::string(rng_->Chance(0.5) ? "round(" : "trunc(") + numeric() + ", " + places() +
             ")";
    case 6:
      return "CAST(" + Expr(rng_->Chance(0.5) ? SqlType::kInt : SqlType::kBigInt, context, d) +
             " AS NUMERIC)";
    case 7:
      // Reduced below 1,000 first, with at least four integer digits in the type (999.9996
      // rounds to 1000.000): an overflow would fail in PostgreSQL's constant folding even
      // when no row reaches the cast, and in tenantdb only for rows that do.
      return "CAST(" + Paren(numeric(), "%", "1000") + " AS NUMERIC(" +
             std::to_string(rng_->Between(7, 12)) + ", " + places() + "))";
    case 8:
      return "(- " + numeric() + ")";
    default:
      return Conditional(SqlType::kNumeric, context, depth);
  }
}

std::string QueryGenerator::IntervalExpr(const ExprContext& context, int depth) {
  const int d = depth - 1;
  auto interval = [&]() { return Expr(SqlType::kInterval, context, d); };
  switch (rng_->Below(12)) {
    case 0:
      return Paren(interval(), rng_->Chance(0.5) ? "+" : "-", interval());
    case 1:
      return rng_->Chance(0.5) ? Paren(interval(), "*", Expr(SqlType::kInt, context, d))
                               : Paren(Expr(SqlType::kInt, context, d), "*", interval());
    case 2:
      return Paren(interval(), "/", Divisor(SqlType::kInt, context, d));
    case 3:
      return "(- " + interval() + ")";
    case 4:
      return Paren(Expr(SqlType::kTimestamp, context, d), "-",
                   Expr(SqlType::kTimestamp, context, d));
    case 5:
      return "age(" + Expr(SqlType::kTimestamp, context, d) + ", " +
             Expr(SqlType::kTimestamp, context, d) + ")";
    case 6: {
      static const char* kFunctions[] = {"justify_days", "justify_hours", "justify_interval"};
      return Call(kFunctions[rng_->Below(3)], interval());
    }
    case 7:
      return "date_trunc(" + std::string(rng_->Chance(0.5) ? "'day'" : "'hour'") + ", " +
             interval() + ")";
    case 8: {
      // Fractions of months and days spill into days and microseconds.
      static const char* kFactors[] = {"0.5", "1.5", "(-2.5)", "0.25", "0.3"};
      return Paren(interval(), rng_->Chance(0.7) ? "*" : "/", kFactors[rng_->Below(5)]);
    }
    default:
      return Conditional(SqlType::kInterval, context, depth);
  }
}

std::string QueryGenerator::TimestampExpr(const ExprContext& context, int depth) {
  const int d = depth - 1;
  auto timestamp = [&]() { return Expr(SqlType::kTimestamp, context, d); };
  switch (rng_->Below(8)) {
    case 0:
    case 1:
      return Paren(timestamp(), rng_->Chance(0.5) ? "+" : "-",
                   Expr(SqlType::kInterval, context, d));
    case 2:
      return Paren(Expr(SqlType::kDate, context, d), "+", Expr(SqlType::kInterval, context, d));
    case 3: {
      static const char* kFields[] = {"'year'", "'month'", "'day'",
                                      "'hour'", "'week'",  "'quarter'"};
      return "date_trunc(" + std::string(kFields[rng_->Below(6)]) + ", " + timestamp() + ")";
    }
    case 4:
      return "CAST(" + Expr(SqlType::kDate, context, d) + " AS TIMESTAMP)";
    default:
      return Conditional(SqlType::kTimestamp, context, depth);
  }
}

std::string QueryGenerator::DateExpr(const ExprContext& context, int depth) {
  const int d = depth - 1;
  switch (rng_->Below(6)) {
    case 0:
    case 1:
      return Paren(Expr(SqlType::kDate, context, d), rng_->Chance(0.5) ? "+" : "-",
                   Expr(SqlType::kInt, context, d));
    case 2:
      return "CAST(" + Expr(SqlType::kTimestamp, context, d) + " AS DATE)";
    default:
      return Conditional(SqlType::kDate, context, depth);
  }
}

// An INTEGER from the date/time types: a difference of dates, or a field that is whole.
std::string QueryGenerator::TemporalIntExpr(const ExprContext& context, int depth) {
  const int d = depth - 1;
  if (rng_->Chance(0.4)) {
    return Paren(Expr(SqlType::kDate, context, d), "-", Expr(SqlType::kDate, context, d));
  }
  static const char* kFields[] = {"year", "month", "day", "hour", "dow", "doy", "quarter"};
  const bool interval = rng_->Chance(0.3);
  const char* field = interval ? kFields[rng_->Below(4)] : kFields[rng_->Below(7)];
  return std::string("CAST(extract(") + field + " FROM " +
         Expr(interval ? SqlType::kInterval : SqlType::kTimestamp, context, d) + ") AS INTEGER)";
}

}  // namespace tenantdb::differential
