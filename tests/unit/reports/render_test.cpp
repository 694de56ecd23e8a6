// The renderers: HTML self-contained and escaped, charts for every kind, CSV/JSON/XLSX readable by the
// tools people open them with, and the same report always the same bytes.
#include "reports/render.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "reports/svg.h"

namespace suiji::reports {
namespace {

const std::string kEvil = "华为<&\"'>技术有限公司";  // a name that must not break a page

Report Sample() {
  Report r;
  r.kind = "plan";
  r.audience = "public";
  r.title = {"2024 年第一季度“双随机、一公开”抽查计划报告", "Q1 2024 random inspection plan report"};
  r.subtitle = {"某市市场监督管理局", "City Administration for Market Regulation"};
  r.meta = {{{"计划编号", "Plan id"}, "PLAN-2024-Q1-007"},
            {{"抽取时间", "Drawn at"}, "2024-01-15 09:30:00 +08:00"},
            {{"承诺摘要", "Commitment digest"}, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}};

  Section overview;
  overview.id = "overview";
  overview.title = {"概况", "Overview"};
  overview.paragraphs = {{"本季度从 4,212 户市场主体中随机抽取 212 户，随机匹配执法检查人员 48 名。",
                          "212 of 4,212 market entities were drawn at random and matched with 48 inspectors."},
                         {"仅中文的段落。", ""}};
  overview.figures = {{{"抽取对象", "Entities drawn"}, "212", {"占名录 5.0%", "5.0% of the register"}},
                      {{"检查人员", "Inspectors"}, "48", {}},
                      {{"按期完成率", "On time"}, "96.2%", {}},
                      {{"发现问题", "Findings"}, "17", {}}};
  Chart by_type;
  by_type.id = "by_type";
  by_type.kind = ChartKind::kBar;
  by_type.title = {"按主体类型的抽取户数", "Entities drawn by type"};
  by_type.categories = {"有限责任公司", "个体工商户", "农民专业合作社"};
  by_type.series = {{{"名录", "Register"}, {2100, 1890, 222}}, {{"抽取", "Drawn"}, {106, 95, 11}}};
  by_type.note = {"按登记类型统计。", "By registered type."};
  Chart monthly;
  monthly.id = "monthly";
  monthly.kind = ChartKind::kLine;
  monthly.title = {"各月完成检查数", "Inspections completed by month"};
  monthly.categories = {"2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"};
  monthly.series = {{{"完成", "Completed"}, {12, 30, 41, 38, 52, 39}}, {{"逾期", "Late"}, {0, 2, 1, 4, 3, 1}}};
  overview.charts = {by_type, monthly};
  Table entities;
  entities.id = "entities";
  entities.title = {"抽取名单", "Entities drawn"};
  entities.columns = {{{"名称", "Name"}, ColumnKind::kText},
                      {{"检查事项", "Items"}, ColumnKind::kInteger},
                      {{"合格率", "Pass rate"}, ColumnKind::kPercent},
                      {{"检查日期", "Date"}, ColumnKind::kDate},
                      {{"罚款（元）", "Fine (yuan)"}, ColumnKind::kDecimal}};
  entities.rows = {{kEvil, Cell::Int(212), Cell::Percent(0.072), "2024-03-01", Cell::Num(12345.5, "12,345.50")},
                   {"甲,乙\"丙\"\n丁", Cell::Int(3), Cell::Percent(1.0), "2024-03-02", Cell::Num(0, "0.00")},
                   {"=HYPERLINK(\"x\")", Cell::Int(-4), Cell::Percent(0.5), "", "—"}};
  entities.note = {"名单按抽取顺序排列。", ""};
  overview.tables = {entities};

  Section results;
  results.id = "results";
  results.title = {"检查结果", ""};  // no English: shown in Chinese either way
  results.paragraphs = {{"逾期与按期的比例见下图。", "The charts below show on-time and late inspections."}};
  results.figures = {{{"逾期", "Late"}, "8", {}}};
  Chart status;
  status.id = "status";
  status.kind = ChartKind::kStacked;
  status.title = {"各单位按期与逾期", "On time and late by unit"};
  status.categories = {"东城所", "西城所", "南城所", "北城所"};
  status.series = {{{"按期", "On time"}, {40, 35, 52, 20}}, {{"逾期", "Late"}, {2, 5, 0, 1}}};
  Chart rates;
  rates.id = "rates";
  rates.kind = ChartKind::kInterval;
  rates.percent = true;
  rates.title = {"问题发现率估计", "Estimated finding rates"};
  rates.categories = {"食品", "特种设备", "广告"};
  rates.series = {{{"估计值", "Estimate"}, {0.072, 0.15, 0.031}}};
  rates.low = {0.051, 0.09, 0.012};
  rates.high = {0.093, 0.21, 0.05};
  Chart units;
  units.id = "units";
  units.kind = ChartKind::kBar;
  units.title = {"各县区抽取户数", "Drawn by district"};
  for (int i = 0; i < 12; ++i) units.categories.push_back("第" + std::to_string(i + 1) + "区 " + kEvil);
  units.series = {{{"抽取", "Drawn"}, {3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610}}};
  Chart empty;
  empty.id = "empty";
  empty.title = {"暂无的图", "An empty chart"};
  results.charts = {status, rates, units, empty};
  Table by_unit;
  by_unit.id = "by_unit";
  by_unit.title = {"各单位[完成]情况：按期/逾期*统计?以及更多说明文字使标题超过三十一个字符", "By unit"};
  by_unit.columns = {{{"单位", "Unit"}, ColumnKind::kText}, {{"完成", "Completed"}, ColumnKind::kInteger}};
  by_unit.rows = {{"东城所", Cell::Int(42)}, {"西城所", Cell::Int(40)}};
  Table again = by_unit;  // the same title: a second, distinct sheet
  again.id = "by_unit_again";
  results.tables = {by_unit, again};
  r.sections = {overview, results};
  return r;
}

bool Contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::size_t Count(const std::string& s, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = s.find(part); at != std::string::npos; at = s.find(part, at + part.size())) ++n;
  return n;
}

// --- HTML -------------------------------------------------------------------------------------------

TEST(RenderHtml, SelfContainedWithoutScriptsOrRemoteResources) {
  const std::string html = RenderHtml(Sample());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_FALSE(Contains(html, "<script"));
  EXPECT_FALSE(Contains(html, "http://"));
  EXPECT_FALSE(Contains(html, "https://"));
  EXPECT_FALSE(Contains(html, "<link"));
  EXPECT_FALSE(Contains(html, "@import"));
  EXPECT_FALSE(Contains(html, "url("));
  EXPECT_EQ(Count(html, "<style>"), 1u);
  EXPECT_TRUE(Contains(html, "@media print"));
  EXPECT_TRUE(Contains(html, "\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"PingFang SC\""));
  EXPECT_TRUE(Contains(html, "\"Microsoft YaHei\""));
}

TEST(RenderHtml, EscapesEveryDataString) {
  const std::string html = RenderHtml(Sample());
  EXPECT_FALSE(Contains(html, kEvil));
  EXPECT_TRUE(Contains(html, "华为&lt;&amp;&quot;&#39;&gt;技术有限公司"));
  EXPECT_TRUE(Contains(html, "<td>华为&lt;&amp;&quot;&#39;&gt;技术有限公司</td>"));
  // The evil name also labels the horizontal bars and their hover titles, escaped there too.
  EXPECT_GE(Count(html, "区 华为&lt;&amp;&quot;&#39;&gt;技术有限公司"), 12u);
}

TEST(RenderHtml, HeaderMetaFiguresAndTables) {
  const std::string html = RenderHtml(Sample());
  EXPECT_TRUE(Contains(html, "<h1>2024 年第一季度“双随机、一公开”抽查计划报告</h1>"));
  EXPECT_TRUE(Contains(html, "<dl class=\"meta\">"));
  EXPECT_TRUE(Contains(html, "<dt>计划编号</dt><dd>PLAN-2024-Q1-007</dd>"));
  EXPECT_TRUE(Contains(html, "<section class=\"summary\""));
  EXPECT_TRUE(Contains(html, "<dd class=\"value\">212</dd>"));
  EXPECT_EQ(Count(html, "<dd class=\"value\">212</dd>"), 1u);  // the band's figures are not repeated
  EXPECT_TRUE(Contains(html, "<dd class=\"value\">8</dd>"));   // a later section's figures stay there
  EXPECT_TRUE(Contains(html, "<caption>抽取名单</caption>"));
  EXPECT_TRUE(Contains(html, "<th scope=\"col\" class=\"num\">检查事项</th>"));
  EXPECT_TRUE(Contains(html, "<td class=\"num\">7.2%</td>"));
  EXPECT_EQ(Count(html, "<section class=\"section\""), 2u);
}

TEST(RenderHtml, EveryChartIsAnAccessibleInlineSvg) {
  const std::string html = RenderHtml(Sample());
  for (const char* id : {"by_type", "monthly", "status", "rates", "units", "empty"}) {
    const std::string c = std::string("chart-") + id;
    EXPECT_TRUE(Contains(html, "<figure class=\"chart\" id=\"" + c + "\">")) << id;
    EXPECT_TRUE(Contains(html, "aria-labelledby=\"" + c + "-title " + c + "-desc\"")) << id;
    EXPECT_TRUE(Contains(html, "<title id=\"" + c + "-title\">")) << id;
    EXPECT_TRUE(Contains(html, "<desc id=\"" + c + "-desc\">")) << id;
  }
  EXPECT_EQ(Count(html, "<svg "), 12u);  // each drawn for a page column and for a phone
  EXPECT_EQ(Count(html, "role=\"img\""), 12u);
  EXPECT_TRUE(Contains(html, "<title id=\"chart-rates-n-title\">"));
  EXPECT_TRUE(Contains(html, "class=\"chart-svg chart-bar\""));
  EXPECT_TRUE(Contains(html, "class=\"chart-svg chart-line\""));
  EXPECT_TRUE(Contains(html, "class=\"chart-svg chart-stacked\""));
  EXPECT_TRUE(Contains(html, "class=\"chart-svg chart-interval rows\""));
  EXPECT_TRUE(Contains(html, "class=\"chart-svg chart-bar rows\""));  // 12 long categories: horizontal
  EXPECT_TRUE(Contains(html, ">暂无数据</text>"));                    // the empty chart
  EXPECT_EQ(Count(html, "<details class=\"chart-data\">"), 5u);       // a data table for each non-empty
  // Values are labelled, percent axes in percent.
  EXPECT_TRUE(Contains(html, ">7.2% (5.1%–9.3%)</text>"));
  EXPECT_TRUE(Contains(html, ">2,100</text>"));
  EXPECT_TRUE(Contains(html, ">20%</text>"));
}

TEST(RenderHtml, LanguageAndFallbackToChinese) {
  const Report r = Sample();
  const std::string zh = RenderHtml(r, Lang::kZh), en = RenderHtml(r, Lang::kEn);
  EXPECT_TRUE(Contains(zh, "<html lang=\"zh-CN\">"));
  EXPECT_TRUE(Contains(en, "<html lang=\"en\">"));
  EXPECT_TRUE(Contains(en, "<h1>Q1 2024 random inspection plan report</h1>"));
  EXPECT_TRUE(Contains(en, "<caption>Entities drawn</caption>"));
  EXPECT_TRUE(Contains(en, ">Inspections completed by month</figcaption>") ||
              Contains(en, "<figcaption>Inspections completed by month</figcaption>"));
  EXPECT_TRUE(Contains(en, "Register</text>"));  // the legend
  EXPECT_TRUE(Contains(en, ">No data</text>"));
  EXPECT_TRUE(Contains(en, "检查结果</h2>"));  // en empty: the Chinese title
  EXPECT_TRUE(Contains(en, "<p>仅中文的段落。</p>"));
  EXPECT_FALSE(Contains(en, "抽取名单"));
  EXPECT_FALSE(Contains(zh, "Entities drawn"));
}

// --- SVG --------------------------------------------------------------------------------------------

TEST(Svg, NiceAxisSteps) {
  Axis a = NiceAxis(0, 47);
  EXPECT_EQ(a.step, 10);
  EXPECT_EQ(a.ticks, (std::vector<double>{0, 10, 20, 30, 40, 50}));
  a = NiceAxis(0, 0.21);
  EXPECT_DOUBLE_EQ(a.step, 0.05);
  EXPECT_DOUBLE_EQ(a.hi, 0.25);
  EXPECT_EQ(TickLabel(0.05, a.step, true), "5%");
  EXPECT_EQ(TickLabel(0.15, a.step, false), "0.15");
  a = NiceAxis(-3, 8);
  EXPECT_EQ(a.step, 2);
  EXPECT_EQ(a.lo, -4);
  EXPECT_EQ(a.hi, 8);
  a = NiceAxis(0, 2100, 3);  // a narrow axis: 0–3000 by 1000, not 0–4000 by 2000
  EXPECT_EQ(a.step, 1000);
  EXPECT_EQ(a.hi, 3000);
  a = NiceAxis(0, 0);  // nothing to span: still an axis
  EXPECT_EQ(a.lo, 0);
  EXPECT_GT(a.hi, 0);
  EXPECT_EQ(TickLabel(12000, 2000, false), "12,000");
}

TEST(Svg, StandaloneHasNamespaceAndNoDataChartIsNotBroken) {
  Chart c;
  c.id = "x";
  c.title = {"空", "Empty"};
  c.categories = {"a"};
  c.series = {{{"s", ""}, {std::nan("")}}};  // a category without a value is no data either
  const std::string svg = RenderChartSvg(c, Lang::kEn, {.width = 720, .standalone = true, .id_suffix = ""});
  EXPECT_TRUE(Contains(svg, "xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_TRUE(Contains(svg, ">No data</text>"));
  EXPECT_FALSE(Contains(svg, "nan"));
  EXPECT_FALSE(Contains(RenderChartSvg(c), "xmlns"));
}

TEST(Svg, NoLocaleDependentOrNonFiniteNumbers) {
  const Report r = Sample();
  for (const Chart& c : r.sections[1].charts) {
    const std::string svg = RenderChartSvg(c);
    EXPECT_FALSE(Contains(svg, "nan")) << c.id;
    EXPECT_FALSE(Contains(svg, "inf")) << c.id;
    EXPECT_FALSE(Contains(svg, "e+")) << c.id;
  }
}

// --- CSV --------------------------------------------------------------------------------------------

TEST(RenderCsv, BomCrlfAndRfc4180Quoting) {
  const std::string csv = RenderCsv(Sample());
  ASSERT_GE(csv.size(), 3u);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(csv.substr(3, 5), "meta,");
  EXPECT_TRUE(Contains(csv, "\r\n\"甲,乙\"\"丙\"\"\n丁\",3,100.0%,2024-03-02,0\r\n"));
  EXPECT_TRUE(Contains(csv, "\r\n\"华为<&\"\"'>技术有限公司\",212,7.2%,2024-03-01,12345.5\r\n"));
  EXPECT_TRUE(Contains(csv, "\r\n\"'=HYPERLINK(\"\"x\"\")\",-4,50.0%,,—\r\n"));  // formula guarded
  EXPECT_TRUE(
      Contains(csv, "\r\nentities,抽取名单,名单按抽取顺序排列。\r\n名称,检查事项,合格率,检查日期,罚款（元）\r\n"));
  EXPECT_TRUE(Contains(csv, "\r\n\r\noverview.figures,"));
  EXPECT_TRUE(Contains(csv, "\r\n计划编号,PLAN-2024-Q1-007\r\n"));
  EXPECT_TRUE(Contains(csv, "\r\n数字格式,"));
  EXPECT_EQ(csv.substr(csv.size() - 4), "\r\n\r\n");  // every block ends with a blank line
  EXPECT_TRUE(
      Contains(RenderCsv(Sample(), Lang::kEn), "\r\nentities,Entities drawn,名单按抽取顺序排列。\r\nName,Items,"));
}

TEST(RenderCsv, LinesEndInCrlfOutsideQuotes) {
  const std::string csv = RenderCsv(Sample());
  bool quoted = false;
  for (std::size_t i = 0; i < csv.size(); ++i) {
    if (csv[i] == '"') quoted = !quoted;
    if (csv[i] == '\n' && !quoted) {
      EXPECT_TRUE(i > 0 && csv[i - 1] == '\r') << i;
    }
  }
  EXPECT_FALSE(quoted);
}

// --- JSON -------------------------------------------------------------------------------------------

TEST(RenderJson, ParsesWithNumbersAsNumbersInKeyOrder) {
  const std::string text = RenderJson(Sample());
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(text);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"kind", "audience", "lang", "title", "subtitle", "meta", "sections"}));
  EXPECT_EQ(j["kind"], "plan");
  EXPECT_EQ(j["meta"][0]["label"], "计划编号");
  const auto& t = j["sections"][0]["tables"][0];
  EXPECT_EQ(t["id"], "entities");
  EXPECT_EQ(t["columns"][2]["kind"], "percent");
  EXPECT_EQ(t["rows"][0][0], kEvil);
  ASSERT_TRUE(t["rows"][0][1].is_number_integer());
  EXPECT_EQ(t["rows"][0][1].get<int>(), 212);
  ASSERT_TRUE(t["rows"][0][2].is_number_float());
  EXPECT_DOUBLE_EQ(t["rows"][0][2].get<double>(), 0.072);
  EXPECT_TRUE(t["rows"][0][3].is_string());
  EXPECT_TRUE(Contains(text, "\"rows\": [\n"));
  const auto& rates = j["sections"][1]["charts"][1];
  EXPECT_EQ(rates["kind"], "interval");
  EXPECT_EQ(rates["percent"], true);
  EXPECT_DOUBLE_EQ(rates["high"][0].get<double>(), 0.093);
  EXPECT_EQ(j["sections"][1]["charts"][0]["series"][0]["values"][0].get<int>(), 40);
  const auto en = nlohmann::json::parse(RenderJson(Sample(), Lang::kEn));
  EXPECT_EQ(en["lang"], "en");
  EXPECT_EQ(en["sections"][1]["title"], "检查结果");
  EXPECT_EQ(en["sections"][0]["tables"][0]["columns"][0]["label"], "Name");
}

// --- XLSX -------------------------------------------------------------------------------------------

// Runs python3 on the workbook: prints the parts, then the named part's XML.
std::string Unzip(const std::string& bytes, const std::string& part) {
  char path[] = "/tmp/suiji-render-test-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return "";
  ::close(fd);
  std::ofstream(path, std::ios::binary) << bytes;
  const std::string cmd = std::string(
                              "/usr/bin/python3 -c 'import sys, zipfile\n"
                              "z = zipfile.ZipFile(sys.argv[1])\n"
                              "print(\"\\n\".join(z.namelist()))\n"
                              "print(\"=====\")\n"
                              "print(z.read(sys.argv[2]).decode())' ") +
                          path + " " + part + " 2>&1";
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    ::pclose(p);
  }
  std::remove(path);
  return out;
}

TEST(RenderXlsx, SummaryAndOneSheetPerTableWithNumbers) {
  if (::access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "no python3 to read the zip";
  const Result<std::string> x = RenderXlsx(Sample());
  ASSERT_TRUE(x.ok()) << x.error().message;
  ASSERT_GE(x->size(), 4u);
  EXPECT_EQ(x->substr(0, 2), "PK");
  const std::string book = Unzip(*x, "xl/workbook.xml");
  EXPECT_TRUE(Contains(book, "xl/workbook.xml\n"));
  EXPECT_TRUE(Contains(book, "xl/worksheets/sheet1.xml\n"));
  EXPECT_TRUE(Contains(book, "xl/worksheets/sheet4.xml\n"));  // Summary + 3 tables
  EXPECT_FALSE(Contains(book, "xl/worksheets/sheet5.xml"));
  EXPECT_TRUE(Contains(book, "<sheet name=\"摘要\""));
  EXPECT_TRUE(Contains(book, "<sheet name=\"抽取名单\""));
  // Illegal characters replaced, 31 characters at most, and the clash with the same title resolved.
  EXPECT_TRUE(Contains(book, "<sheet name=\"各单位_完成_情况：按期_逾期_统计_以及更多说明文字使标题超\""));
  EXPECT_TRUE(Contains(book, "<sheet name=\"各单位_完成_情况：按期_逾期_统计_以及更多说明文字 (2)\""));
  // The table's sheet: 212 a number cell (no t="s"), the percent a fraction, the date a serial.
  const std::string sheet = Unzip(*x, "xl/worksheets/sheet2.xml");
  EXPECT_TRUE(Contains(sheet, "<c r=\"B2\" s=\"")) << sheet;
  EXPECT_TRUE(Contains(sheet, "><v>212</v></c>"));
  std::smatch pct;  // libxlsxwriter prints 16 digits: 0.07199999999999999, the same double
  ASSERT_TRUE(std::regex_search(sheet, pct, std::regex("<c r=\"C2\" s=\"[0-9]+\"><v>([0-9.]+)</v>")));
  EXPECT_DOUBLE_EQ(std::stod(pct[1]), 0.072);
  EXPECT_TRUE(Contains(sheet, "<v>45352</v>"));  // 2024-03-01
  EXPECT_TRUE(Contains(sheet, "<v>12345.5</v>"));
  EXPECT_TRUE(Contains(sheet, "<pane ySplit=\"1\""));  // header frozen
  EXPECT_TRUE(Contains(sheet, "<autoFilter ref=\"A1:E4\""));
  EXPECT_TRUE(Contains(Unzip(*x, "xl/styles.xml"), "formatCode=\"0.0%\""));
  const std::string summary = Unzip(*x, "xl/worksheets/sheet1.xml");  // figures: "96.2%" a number too
  EXPECT_TRUE(Contains(summary, "<v>0.962</v>")) << summary;
  EXPECT_TRUE(Contains(summary, "<v>212</v>"));
  const Result<std::string> en = RenderXlsx(Sample(), Lang::kEn);
  ASSERT_TRUE(en.ok());
  EXPECT_TRUE(Contains(Unzip(*en, "xl/workbook.xml"), "<sheet name=\"Summary\""));
}

TEST(Render, DegenerateInputsStillRender) {
  Report r;  // no title, no meta, one section with a table of no rows, a short row and odd charts
  Section s;
  s.id = "s";
  Table t;
  t.id = "t";
  t.columns = {{{"甲", ""}, ColumnKind::kInteger}, {{"乙", ""}, ColumnKind::kText}};
  Table short_rows = t;
  short_rows.id = "short";
  short_rows.rows = {{Cell::Int(1)}};  // one cell short
  Chart neg;
  neg.id = "neg";
  neg.categories = {"a", "b", "c"};
  neg.series = {{{"x", ""}, {-5, std::nan(""), 12}}};  // negative and missing values, one value short below
  Chart line = neg;
  line.id = "line";
  line.kind = ChartKind::kLine;
  Chart stacked = neg;
  stacked.id = "stacked";
  stacked.kind = ChartKind::kStacked;
  Chart interval = neg;
  interval.id = "interval";
  interval.kind = ChartKind::kInterval;
  interval.low = {-6};  // shorter than the categories
  s.tables = {t, short_rows};
  s.charts = {neg, line, stacked, interval};
  r.sections = {s};
  const std::string html = RenderHtml(r);
  EXPECT_TRUE(Contains(html, "<td class=\"empty\" colspan=\"2\">暂无数据</td>"));
  EXPECT_TRUE(Contains(html, "<tr><td class=\"num\">1</td><td></td></tr>"));
  EXPECT_FALSE(Contains(html, "nan"));
  EXPECT_TRUE(Contains(html, ">-5</text>"));
  EXPECT_TRUE(Contains(RenderCsv(r), "\r\n1,\r\n"));
  EXPECT_TRUE(nlohmann::json::accept(RenderJson(r)));
  EXPECT_EQ(nlohmann::json::parse(RenderJson(r))["sections"][0]["charts"][0]["series"][0]["values"][1], nullptr);
  const Result<std::string> x = RenderXlsx(r);
  ASSERT_TRUE(x.ok()) << x.error().message;
  EXPECT_EQ(x->substr(0, 2), "PK");
  EXPECT_TRUE(RenderXlsx(Report{}).ok());
  EXPECT_TRUE(Contains(RenderHtml(Report{}), "</html>"));
}

// --- determinism ------------------------------------------------------------------------------------

TEST(Render, SameReportSameBytes) {
  const Report r = Sample();
  for (Lang lang : {Lang::kZh, Lang::kEn}) {
    EXPECT_EQ(RenderHtml(r, lang), RenderHtml(Sample(), lang));
    EXPECT_EQ(RenderCsv(r, lang), RenderCsv(Sample(), lang));
    EXPECT_EQ(RenderJson(r, lang), RenderJson(Sample(), lang));
  }
  const Result<std::string> a = RenderXlsx(r), b = RenderXlsx(Sample());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

// SUIJI_REPORT_SAMPLE=/tmp/report_sample.html writes the sample page there, to look at.
TEST(Render, WritesTheSamplePageWhenAsked) {
  const char* path = std::getenv("SUIJI_REPORT_SAMPLE");
  if (!path || !*path) GTEST_SKIP() << "set SUIJI_REPORT_SAMPLE to a path to write the sample page";
  const std::string p = path;
  std::ofstream(p, std::ios::binary) << RenderHtml(Sample(), Lang::kZh);
  std::ofstream(p + ".en.html", std::ios::binary) << RenderHtml(Sample(), Lang::kEn);
  std::ofstream(p + ".csv", std::ios::binary) << RenderCsv(Sample());
  std::ofstream(p + ".json", std::ios::binary) << RenderJson(Sample());
  if (Result<std::string> x = RenderXlsx(Sample()); x.ok()) std::ofstream(p + ".xlsx", std::ios::binary) << *x;
  SUCCEED();
}

}  // namespace
}  // namespace suiji::reports
