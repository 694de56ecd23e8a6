#include "data/gen/messy.h"

#include <functional>
#include <sstream>

#include "data/gen/registers.h"
#include "data/import/csv_writer.h"
#include "data/import/schema.h"

namespace suiji::gen {

using import::RowError;

Result<MessyExpectation> WriteMessyEntities(const MessyOptions& o, const RegionTable& regions, std::ostream& out) {
  auto counties = ProvinceCounties(regions, o.province);
  if (!counties.ok()) return counties.error();
  std::string unknown_region;
  for (int c = 99; c >= 1 && unknown_region.empty(); --c) {
    std::string code = o.province + (c < 10 ? "0" : "") + std::to_string(c) + "99";
    if (!regions.Contains(code)) unknown_region = code;
  }
  GenOptions go;
  go.seed = o.seed;
  go.province = o.province;
  EntityStream stream(go, counties.value(), regions);
  auto clean = [&] {
    for (;;) {
      Entity e = stream.Next();
      if (e.id.kind != IdKind::kLegacy) return e;
    }
  };

  const auto header = import::ExportHeader(import::RegisterKind::kEntities);
  const std::string kId = header[0], kRegion = header[2], kStatus = header[5], kEst = header[6];
  std::ostringstream text;
  import::CsvWriter w(text);
  w.Row(header);
  MessyExpectation x;
  std::int64_t row = 1;
  std::vector<std::pair<std::int64_t, std::string>> accepted_ids;  // row, id
  auto put = [&](const Entity& e) {
    w.Row(import::ExportRow(e));
    ++row;
    ++x.rows_read;
  };
  auto good = [&](const Entity& e) {
    put(e);
    ++x.rows_valid;
    accepted_ids.emplace_back(row, e.id.value);
  };
  auto bad = [&](const Entity& e, std::string column, std::string value, std::string code) {
    put(e);
    ++x.rows_rejected;
    x.errors.push_back({row, std::move(column), std::move(value), std::move(code), "", 0});
  };
  auto uscc = [&] {
    for (;;) {
      Entity e = clean();
      if (e.id.kind == IdKind::kUscc) return e;
    }
  };

  std::vector<std::function<void()>> defects;
  for (int k = 0; k < 3; ++k)
    defects.push_back([&, k] {
      Entity e = clean();
      e.id = {"企独川总字第00" + std::to_string(4711 + k) + "号", IdKind::kLegacy};
      good(e);
      ++x.rows_flagged;
      x.warnings.push_back({row, kId, e.id.value, "id.legacy", "", 0});
    });
  for (int k = 0; k < 2; ++k)
    defects.push_back([&] {
      Entity e = uscc();
      // What Excel shows for an 18-digit number: 15 significant digits in scientific notation.
      std::string digits = "9" + std::string("1") + e.region + "0063312345";
      std::string f = digits.substr(0, 1) + "." + digits.substr(1, 14) + "E+17";
      e.id.value = f;
      bad(e, kId, f, "id.excel_float");
    });
  for (int k = 0; k < 2; ++k)
    defects.push_back([&] {
      Entity e = uscc();
      char& last = e.id.value.back();
      last = last == '0' ? '1' : '0';
      bad(e, kId, e.id.value, "uscc.check");
    });
  for (int k = 0; k < 2; ++k)
    defects.push_back([&] {
      Entity e = clean();
      e.region = unknown_region;
      bad(e, kRegion, unknown_region, "region.unknown");
    });
  defects.push_back([&] {
    Entity e = clean();
    auto [first_row, id] = accepted_ids.front();
    e.id.value = id;
    put(e);
    ++x.rows_rejected;
    x.errors.push_back({row, kId, id, "entity.duplicate", "", first_row});
  });
  defects.push_back([&] {
    Entity e = clean();
    e.established = "2019-02-30";
    bad(e, kEst, "2019-02-30", "date.format");
  });
  defects.push_back([&] {
    Entity e = clean();
    e.status = "待定";  // a label in no table: kept as status "other", flagged, never rejected
    good(e);
    ++x.rows_flagged;
    x.warnings.push_back({row, kStatus, "待定", "status.unmapped", "", 0});
  });
  defects.push_back([&] {
    Entity e = clean();
    auto fields = import::ExportRow(e);
    fields.push_back("多余的一列");
    w.Row(fields);
    ++row;
    ++x.rows_read;
    ++x.rows_rejected;
    x.errors.push_back({row, "", "", "csv.columns", "", 0});
  });
  defects.push_back([&] {
    w.RawRow("");
    ++row;
    ++x.blank_rows;
  });
  defects.push_back([&] {
    Entity e = clean();
    e.address = "成都市武侯区人民南路四段,\n科华北路交叉口";
    good(e);
  });

  // The first clean row comes before any defect (the duplicate needs a row to repeat).
  const std::int64_t n = std::max<std::int64_t>(o.clean_rows, 1);
  const std::int64_t d = static_cast<std::int64_t>(defects.size());
  std::int64_t next_defect = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    good(clean());
    while (next_defect < d && (next_defect + 1) * n / (d + 1) <= i) defects[static_cast<std::size_t>(next_defect++)]();
  }
  while (next_defect < d) defects[static_cast<std::size_t>(next_defect++)]();

  std::string bytes = text.str();
  if (o.encoding == import::Encoding::kGb18030) {
    auto gb = import::Utf8ToGb18030(bytes);
    if (!gb.ok()) return gb.error();
    bytes = std::move(gb).value();
  }
  if (o.bom && o.encoding != import::Encoding::kGb18030) out << "\xEF\xBB\xBF";
  out << bytes;
  return x;
}

}  // namespace suiji::gen
