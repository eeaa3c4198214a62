#include "cli/tpch/tpch_generator.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "cli/tpch/tpch_random.h"
#include "cli/tpch/tpch_text.h"
#include "cli/tpch/tpch_words.h"
#include "tenantdb/value.h"

namespace tenantdb::cli::tpch {

namespace {

// Each table draws from its own stream (tpch_random.h).
enum Stream : uint64_t {
  kTextStream = 1,
  kRegionStream,
  kNationStream,
  kPartStream,
  kSupplierStream,
  kPartSuppStream,
  kCustomerStream,
  kOrderStream,
};

struct Scale {
  int64_t parts;
  int64_t suppliers;
  int64_t customers;
  int64_t orders;
  int64_t clerks;
};

// Clause 4.2.3's dates: orders are placed from STARTDATE to ENDDATE - 151 days; a line
// shipped after CURRENTDATE is still open ('O') and one received after it not returned.
const int32_t kStartDate = DaysFromCivil(1992, 1, 1);
const int32_t kCurrentDate = DaysFromCivil(1995, 6, 17);
const int32_t kEndDate = DaysFromCivil(1998, 12, 31);

// Closes a table's files and lists them in the manifest.
Status FinishInto(TableWriter& writer, Manifest* manifest) {
  TDB_ASSIGN_OR_RETURN(TableFiles files, writer.Finish());
  manifest->tables.push_back(std::move(files));
  return Status::Ok();
}

std::string_view Pick(TpchRandom& random, WordList words) {
  return words[static_cast<size_t>(random.Uniform(0, int64_t(words.size()) - 1))];
}

std::string Padded(std::string_view prefix, int64_t number) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%.*s%09lld", int(prefix.size()), prefix.data(),
                static_cast<long long>(number));
  return buf;
}

// A v-string: random characters of a 64-character alphabet, length in [min, max].
std::string VString(TpchRandom& random, int min_len, int max_len) {
  static constexpr std::string_view kAlphabet =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,.";
  std::string s(static_cast<size_t>(random.Uniform(min_len, max_len)), ' ');
  for (char& c : s)
    c = kAlphabet[static_cast<size_t>(random.Uniform(0, 63))];
  return s;
}

// Clause 4.2.2.9: country code (nation key + 10), then three local numbers.
std::string Phone(TpchRandom& random, int64_t nation) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%02lld-%03lld-%03lld-%04lld",
                static_cast<long long>(nation + 10),
                static_cast<long long>(random.Uniform(100, 999)),
                static_cast<long long>(random.Uniform(100, 999)),
                static_cast<long long>(random.Uniform(1000, 9999)));
  return buf;
}

// P_RETAILPRICE in cents (clause 4.2.3): a function of the key alone, so that lineitem
// can price a part without the part table.
int64_t RetailPriceCents(int64_t partkey) {
  return 90000 + (partkey / 10) % 20001 + 100 * (partkey % 1000);
}

// The i-th (0..3) supplier of a part (clause 4.2.3's PS_SUPPKEY formula).
int64_t PartSupplier(int64_t partkey, int64_t i, int64_t suppliers) {
  return (partkey + i * (suppliers / 4 + (partkey - 1) / suppliers)) % suppliers + 1;
}

Status WriteRegions(const std::string& dir, const TextPool& text, uint64_t seed,
                    Manifest* manifest) {
  TpchRandom random(seed, kRegionStream);
  TableWriter w(dir, "region", UINT64_MAX);
  WordList regions = Regions();
  for (size_t key = 0; key < regions.size(); ++key) {
    w.Int(int64_t(key));
    w.Text(regions[key]);
    w.Text(text.Comment(random, 31, 115));
    TDB_RETURN_IF_ERROR(w.EndRow());
  }
  return FinishInto(w, manifest);
}

Status WriteNations(const std::string& dir, const TextPool& text, uint64_t seed,
                    Manifest* manifest) {
  TpchRandom random(seed, kNationStream);
  TableWriter w(dir, "nation", UINT64_MAX);
  auto nations = Nations();
  for (size_t key = 0; key < nations.size(); ++key) {
    w.Int(int64_t(key));
    w.Text(nations[key].name);
    w.Int(nations[key].region);
    w.Text(text.Comment(random, 31, 114));
    TDB_RETURN_IF_ERROR(w.EndRow());
  }
  return FinishInto(w, manifest);
}

// PART and PARTSUPP (four suppliers per part).
Status WriteParts(const std::string& dir, const TextPool& text, const Scale& scale,
                  const GenerateOptions& options, Manifest* manifest) {
  TpchRandom random(options.seed, kPartStream);
  TpchRandom ps_random(options.seed, kPartSuppStream);
  TableWriter part(dir, "part", options.rows_per_file);
  TableWriter partsupp(dir, "partsupp", options.rows_per_file);
  WordList colors = Colors();
  for (int64_t key = 1; key <= scale.parts; ++key) {
    // P_NAME: five distinct colors.
    size_t chosen[5];
    std::string name;
    for (int i = 0; i < 5; ++i) {
      size_t c;
      do {
        c = static_cast<size_t>(random.Uniform(0, int64_t(colors.size()) - 1));
      } while (std::find(chosen, chosen + i, c) != chosen + i);
      chosen[i] = c;
      if (i > 0) name.push_back(' ');
      name.append(colors[c]);
    }
    const int64_t mfgr = random.Uniform(1, 5);
    part.Int(key);
    part.Text(name);
    part.Text("Manufacturer#" + std::to_string(mfgr));
    part.Text("Brand#" + std::to_string(mfgr) + std::to_string(random.Uniform(1, 5)));
    std::string type(Pick(random, TypeSyllable1()));
    type.append(" ").append(Pick(random, TypeSyllable2()));
    type.append(" ").append(Pick(random, TypeSyllable3()));
    part.Text(type);
    part.Int(random.Uniform(1, 50));
    std::string container(Pick(random, ContainerSyllable1()));
    container.append(" ").append(Pick(random, ContainerSyllable2()));
    part.Text(container);
    part.Money(RetailPriceCents(key));
    part.Text(text.Comment(random, 5, 22));
    TDB_RETURN_IF_ERROR(part.EndRow());

    for (int64_t i = 0; i < 4; ++i) {
      partsupp.Int(key);
      partsupp.Int(PartSupplier(key, i, scale.suppliers));
      partsupp.Int(ps_random.Uniform(1, 9999));
      partsupp.Money(ps_random.Uniform(100, 100000));
      partsupp.Text(text.Comment(ps_random, 49, 198));
      TDB_RETURN_IF_ERROR(partsupp.EndRow());
    }
  }
  TDB_RETURN_IF_ERROR(FinishInto(part, manifest));
  return FinishInto(partsupp, manifest);
}

// S_COMMENT: 10 suppliers in 10,000 mention the Better Business Bureau (clause 4.2.3):
// half "Customer ... Complaints" (which Q16 excludes), half "Customer ... Recommends".
std::string SupplierComment(TpchRandom& random, const TextPool& text) {
  std::string comment(text.Comment(random, 25, 100));
  if (random.Uniform(1, 10000) > 10) return comment;
  const std::string_view verdict = random.Uniform(0, 1) == 0 ? "Complaints" : "Recommends";
  const size_t filler = static_cast<size_t>(random.Uniform(0, 10));
  const size_t room = comment.size() > filler + 19 ? comment.size() - filler - 19 : 0;
  const size_t at = static_cast<size_t>(random.Uniform(0, int64_t(room)));
  std::string middle = comment.substr(at, filler);
  return comment.substr(0, at) + "Customer " + middle + std::string(verdict) +
         comment.substr(std::min(comment.size(), at + filler + 19));
}

Status WriteSuppliers(const std::string& dir, const TextPool& text, const Scale& scale,
                      const GenerateOptions& options, Manifest* manifest) {
  TpchRandom random(options.seed, kSupplierStream);
  TableWriter w(dir, "supplier", options.rows_per_file);
  for (int64_t key = 1; key <= scale.suppliers; ++key) {
    const int64_t nation = random.Uniform(0, 24);
    w.Int(key);
    w.Text(Padded("Supplier#", key));
    w.Text(VString(random, 10, 40));
    w.Int(nation);
    w.Text(Phone(random, nation));
    w.Money(random.Uniform(-99999, 999999));
    w.Text(SupplierComment(random, text));
    TDB_RETURN_IF_ERROR(w.EndRow());
  }
  return FinishInto(w, manifest);
}

Status WriteCustomers(const std::string& dir, const TextPool& text, const Scale& scale,
                      const GenerateOptions& options, Manifest* manifest) {
  TpchRandom random(options.seed, kCustomerStream);
  TableWriter w(dir, "customer", options.rows_per_file);
  for (int64_t key = 1; key <= scale.customers; ++key) {
    const int64_t nation = random.Uniform(0, 24);
    w.Int(key);
    w.Text(Padded("Customer#", key));
    w.Text(VString(random, 10, 40));
    w.Int(nation);
    w.Text(Phone(random, nation));
    w.Money(random.Uniform(-99999, 999999));
    w.Text(Pick(random, Segments()));
    w.Text(text.Comment(random, 29, 116));
    TDB_RETURN_IF_ERROR(w.EndRow());
  }
  return FinishInto(w, manifest);
}

// ORDERS and LINEITEM in one pass: an order's total price and status come from its lines.
Status WriteOrders(const std::string& dir, const TextPool& text, const Scale& scale,
                   const GenerateOptions& options, Manifest* manifest) {
  TpchRandom random(options.seed, kOrderStream);
  TableWriter orders(dir, "orders", options.rows_per_file);
  TableWriter lineitem(dir, "lineitem", options.rows_per_file);
  // Customers whose key is a multiple of 3 place no orders: the j-th of the others.
  const int64_t ordering_customers = scale.customers - scale.customers / 3;
  for (int64_t i = 0; i < scale.orders; ++i) {
    // Sparse keys: the first 8 of every 32.
    const int64_t orderkey = (i / 8) * 32 + i % 8 + 1;
    const int64_t j = random.Uniform(0, ordering_customers - 1);
    const int64_t custkey = (j / 2) * 3 + j % 2 + 1;
    const auto orderdate = static_cast<int32_t>(random.Uniform(kStartDate, kEndDate - 151));
    const std::string_view priority = Pick(random, Priorities());
    const std::string clerk = Padded("Clerk#", random.Uniform(1, scale.clerks));
    const std::string_view order_comment = text.Comment(random, 19, 78);

    const int64_t lines = random.Uniform(1, 7);
    int64_t total_cents = 0;
    int64_t open_lines = 0;
    for (int64_t line = 1; line <= lines; ++line) {
      const int64_t partkey = random.Uniform(1, scale.parts);
      const int64_t suppkey = PartSupplier(partkey, random.Uniform(0, 3), scale.suppliers);
      const int64_t quantity = random.Uniform(1, 50);
      const int64_t extended = quantity * RetailPriceCents(partkey);
      const int64_t discount = random.Uniform(0, 10);  // hundredths
      const int64_t tax = random.Uniform(0, 8);        // hundredths
      const auto shipdate = static_cast<int32_t>(orderdate + random.Uniform(1, 121));
      const auto commitdate = static_cast<int32_t>(orderdate + random.Uniform(30, 90));
      const auto receiptdate = static_cast<int32_t>(shipdate + random.Uniform(1, 30));
      const char* returnflag =
          receiptdate <= kCurrentDate ? (random.Uniform(0, 1) == 0 ? "R" : "A") : "N";
      const bool open = shipdate > kCurrentDate;
      open_lines += open ? 1 : 0;
      // extendedprice * (1 + tax) * (1 - discount), rounded to the cent.
      total_cents += (extended * (100 + tax) * (100 - discount) + 5000) / 10000;

      lineitem.Int(orderkey);
      lineitem.Int(partkey);
      lineitem.Int(suppkey);
      lineitem.Int(line);
      lineitem.Int(quantity);
      lineitem.Money(extended);
      lineitem.Money(discount);
      lineitem.Money(tax);
      lineitem.Text(returnflag);
      lineitem.Text(open ? "O" : "F");
      lineitem.Date(shipdate);
      lineitem.Date(commitdate);
      lineitem.Date(receiptdate);
      lineitem.Text(Pick(random, Instructions()));
      lineitem.Text(Pick(random, Modes()));
      lineitem.Text(text.Comment(random, 10, 43));
      TDB_RETURN_IF_ERROR(lineitem.EndRow());
    }
    orders.Int(orderkey);
    orders.Int(custkey);
    orders.Text(open_lines == lines ? "O" : open_lines == 0 ? "F" : "P");
    orders.Money(total_cents);
    orders.Date(orderdate);
    orders.Text(priority);
    orders.Text(clerk);
    orders.Int(0);
    orders.Text(order_comment);
    TDB_RETURN_IF_ERROR(orders.EndRow());
  }
  TDB_RETURN_IF_ERROR(FinishInto(orders, manifest));
  return FinishInto(lineitem, manifest);
}

}  // namespace

int64_t ScaledRows(int64_t rows_at_sf1, double sf) {
  return std::max<int64_t>(1, std::llround(double(rows_at_sf1) * sf));
}

Result<Manifest> Generate(const std::string& dir, const GenerateOptions& options) {
  if (!(options.sf > 0) || options.sf > 1000) {
    return Status(ErrorCode::kInvalidArgument, "the scale factor must be in (0, 1000]");
  }
  if (options.text_pool_bytes < 4096) {
    return Status(ErrorCode::kInvalidArgument, "the text pool needs at least 4096 bytes");
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status(ErrorCode::kIoError, "cannot create " + dir + ": " + ec.message());
  std::filesystem::remove(dir + "/manifest.txt", ec);  // a half-written set has none

  // The PS_SUPPKEY formula needs at least four suppliers for four distinct ones per part.
  const Scale scale{ScaledRows(200'000, options.sf),
                    std::max<int64_t>(4, ScaledRows(10'000, options.sf)),
                    std::max<int64_t>(3, ScaledRows(150'000, options.sf)),
                    ScaledRows(1'500'000, options.sf), ScaledRows(1'000, options.sf)};
  TpchRandom text_random(options.seed, kTextStream);
  const TextPool text(text_random, options.text_pool_bytes);
  Manifest manifest;
  manifest.sf = options.sf;
  manifest.seed = options.seed;
  TDB_RETURN_IF_ERROR(WriteRegions(dir, text, options.seed, &manifest));
  TDB_RETURN_IF_ERROR(WriteNations(dir, text, options.seed, &manifest));
  TDB_RETURN_IF_ERROR(WriteParts(dir, text, scale, options, &manifest));
  TDB_RETURN_IF_ERROR(WriteSuppliers(dir, text, scale, options, &manifest));
  TDB_RETURN_IF_ERROR(WriteCustomers(dir, text, scale, options, &manifest));
  TDB_RETURN_IF_ERROR(WriteOrders(dir, text, scale, options, &manifest));
  TDB_RETURN_IF_ERROR(WriteManifest(dir, manifest));
  return manifest;
}

}  // namespace tenantdb::cli::tpch
