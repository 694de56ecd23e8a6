#include "data/import/csv_reader.h"

#include <gtest/gtest.h>

namespace suiji::import {
namespace {

std::vector<CsvRecord> ReadAll(std::string bytes, CsvOptions o = {}) {
  auto r = CsvReader::FromString(std::move(bytes), o);
  EXPECT_TRUE(r.ok());
  std::vector<CsvRecord> out;
  CsvRecord rec;
  while (r.value()->Next(rec)) out.push_back(rec);
  return out;
}

TEST(CsvReader, QuotedFieldsWithCommasQuotesAndNewlines) {
  auto recs = ReadAll("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n2,\"line1\r\nline2\",z\r\n3,,\r\n");
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[1].fields, (std::vector<std::string>{"1", "x, y", "say \"hi\""}));
  EXPECT_EQ(recs[2].fields, (std::vector<std::string>{"2", "line1\r\nline2", "z"}));
  EXPECT_EQ(recs[3].fields, (std::vector<std::string>{"3", "", ""}));
  // Excel rows count records; physical lines count line breaks.
  EXPECT_EQ(recs[2].row, 3);
  EXPECT_EQ(recs[2].line, 3);
  EXPECT_EQ(recs[3].row, 4);
  EXPECT_EQ(recs[3].line, 5);
  EXPECT_EQ(recs[2].text, "2,\"line1\r\nline2\",z");
  for (const auto& r : recs) EXPECT_FALSE(r.error.has_value());
}

TEST(CsvReader, LfLoneCrAndMissingFinalNewline) {
  auto recs = ReadAll("h1,h2\na,b\rc,d");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].fields, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(recs[2].fields, (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(recs[2].row, 3);
}

TEST(CsvReader, BlankLinesAreRowsAndBlank) {
  auto recs = ReadAll("h\n\n,\nx\n");
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_TRUE(recs[1].blank());
  EXPECT_TRUE(recs[2].blank());
  EXPECT_FALSE(recs[3].blank());
  EXPECT_EQ(recs[3].row, 4);
}

TEST(CsvReader, Utf8BomIsStrippedAndRemembered) {
  auto r = CsvReader::FromString("\xEF\xBB\xBF名称,代码\n甲,1\n");
  ASSERT_TRUE(r.ok());
  CsvRecord rec;
  ASSERT_TRUE(r.value()->Next(rec));
  EXPECT_EQ(rec.fields[0], "名称");
  EXPECT_TRUE(r.value()->had_bom());
  EXPECT_EQ(r.value()->encoding(), Encoding::kUtf8);
}

TEST(CsvReader, Utf16IsRefusedWithAClearReason) {
  auto r = CsvReader::FromString(std::string("\xFF\xFE" "a\0,\0", 6));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "encoding.utf16");
}

TEST(CsvReader, DetectsGb18030AndDecodesIt) {
  auto gb = Utf8ToGb18030("名称,住所\n成都鑫源食品有限公司,\"四川省成都市,武侯区\"\n");
  ASSERT_TRUE(gb.ok());
  auto recs = ReadAll(gb.value());
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields[0], "名称");
  EXPECT_EQ(recs[1].fields[0], "成都鑫源食品有限公司");
  EXPECT_EQ(recs[1].fields[1], "四川省成都市,武侯区");
  EXPECT_EQ(recs[1].text, "成都鑫源食品有限公司,\"四川省成都市,武侯区\"");
}

TEST(CsvReader, DetectionWaitsForFirstNonAsciiByteAcrossChunks) {
  // English header and ASCII rows first, GBK text only in a later chunk.
  std::string head = "id,name\n";
  for (int i = 0; i < 200; ++i) head += std::to_string(i) + ",ascii\n";
  // (Two GBK characters alone can be valid UTF-8 by chance - 食品 is - so the sample is a real name.)
  auto gb = Utf8ToGb18030(head + "999,成都鑫源食品有限公司\n");
  CsvOptions o;
  o.chunk_bytes = 64;  // force many refills
  auto recs = ReadAll(gb.value(), o);
  ASSERT_EQ(recs.size(), 202u);
  EXPECT_EQ(recs.back().fields[1], "成都鑫源食品有限公司");
  EXPECT_FALSE(recs.back().error.has_value());
}

TEST(CsvReader, SmallChunksGiveTheSameRecords) {
  std::string text = "a,b\r\n\"x\"\"y\",\"multi\r\nline\"\r\n名称,\"，，\"\r\n";
  auto big = ReadAll(text);
  for (std::size_t chunk : {1u, 2u, 3u, 7u}) {
    CsvOptions o;
    o.chunk_bytes = chunk;
    auto small = ReadAll(text, o);
    ASSERT_EQ(small.size(), big.size()) << chunk;
    for (std::size_t i = 0; i < big.size(); ++i) {
      EXPECT_EQ(small[i].fields, big[i].fields) << chunk;
      EXPECT_EQ(small[i].text, big[i].text) << chunk;
      EXPECT_EQ(small[i].row, big[i].row) << chunk;
    }
  }
}

// Found by tests/fuzz/csv_import_fuzz.cpp: with chunks under 3 bytes the BOM (and a UTF-16 BOM with
// 1-byte chunks) was not seen and became part of the first field.
TEST(CsvReader, BomIsFoundWithTinyChunks) {
  for (std::size_t chunk : {1u, 2u, 3u}) {
    CsvOptions o;
    o.chunk_bytes = chunk;
    auto recs = ReadAll("\xEF\xBB\xBF" "b\r\n名称\n", o);
    ASSERT_EQ(recs.size(), 2u) << chunk;
    EXPECT_EQ(recs[0].fields, std::vector<std::string>{"b"}) << chunk;
    EXPECT_EQ(recs[1].fields, std::vector<std::string>{"名称"}) << chunk;
    EXPECT_FALSE(CsvReader::FromString("\xFF\xFEi\0d\0", o).ok()) << chunk;
  }
}

TEST(CsvReader, InvalidUtf8IsAnErrorNamingTheColumn) {
  CsvOptions o;
  o.encoding = Encoding::kUtf8;
  auto recs = ReadAll("a,b\nok,\xB3\xC9\xB6\xBC\n", o);  // GBK bytes in a file forced to UTF-8
  ASSERT_EQ(recs.size(), 2u);
  ASSERT_TRUE(recs[1].error.has_value());
  EXPECT_EQ(recs[1].error->code, "csv.encoding");
  EXPECT_EQ(recs[1].error->field, "1");
}

TEST(CsvReader, OneStrayByteInAUtf8FileCostsOneRow) {
  std::string text = "名称,住所\n";
  for (int i = 0; i < 30; ++i) text += "成都鑫源食品有限公司,四川省成都市武侯区\n";
  text += "坏\xFF字节,成都\n";
  auto recs = ReadAll(text);
  ASSERT_EQ(recs.size(), 32u);
  EXPECT_EQ(recs[0].fields[0], "名称");
  for (std::size_t i = 0; i < 31; ++i) EXPECT_FALSE(recs[i].error.has_value()) << i;
  ASSERT_TRUE(recs[31].error.has_value());
  EXPECT_EQ(recs[31].error->code, "csv.encoding");
  EXPECT_EQ(recs[31].row, 32);
}

TEST(CsvReader, UndecodableGb18030BytesAreAnError) {
  CsvOptions o;
  o.encoding = Encoding::kGb18030;
  auto recs = ReadAll("a,b\nok,\x81\x20\n", o);  // 0x81 needs a trail byte >= 0x30
  ASSERT_EQ(recs.size(), 2u);
  ASSERT_TRUE(recs[1].error.has_value());
  EXPECT_EQ(recs[1].error->code, "csv.encoding");
}

TEST(CsvReader, UnterminatedQuoteLosesOnlyItsOwnRow) {
  auto recs = ReadAll("a,b\n1,\"broken\n2,fine\n3,also fine\n");
  ASSERT_EQ(recs.size(), 4u);
  ASSERT_TRUE(recs[1].error.has_value());
  EXPECT_EQ(recs[1].error->code, "csv.unterminated_quote");
  EXPECT_EQ(recs[1].row, 2);
  EXPECT_EQ(recs[1].text, "1,\"broken");
  EXPECT_EQ(recs[2].fields, (std::vector<std::string>{"2", "fine"}));
  EXPECT_EQ(recs[2].row, 3);
  EXPECT_EQ(recs[3].row, 4);
  EXPECT_FALSE(recs[3].error.has_value());
}

TEST(CsvReader, TextAfterClosingQuoteIsAnError) {
  auto recs = ReadAll("a,b\n\"x\"y,z\n");
  ASSERT_EQ(recs.size(), 2u);
  ASSERT_TRUE(recs[1].error.has_value());
  EXPECT_EQ(recs[1].error->code, "csv.quote");
  EXPECT_EQ(recs[1].fields.size(), 2u);
}

TEST(Encoding, DetectAndConvert) {
  EXPECT_EQ(DetectEncoding("abc", false), Encoding::kAuto);
  EXPECT_EQ(DetectEncoding("名称", false), Encoding::kUtf8);
  EXPECT_EQ(DetectEncoding(Utf8ToGb18030("名称").value(), false), Encoding::kGb18030);
  // A UTF-8 sequence cut at a buffer edge is still UTF-8.
  EXPECT_EQ(DetectEncoding(std::string("ab\xE5\x90"), true), Encoding::kUtf8);
  EXPECT_EQ(Gb18030ToUtf8(Utf8ToGb18030("统一社会信用代码€𠀀").value()).value(), "统一社会信用代码€𠀀");
  EXPECT_EQ(ParseEncoding("GBK").value(), Encoding::kGb18030);
  EXPECT_FALSE(ParseEncoding("latin1").ok());
  EXPECT_EQ(Utf8Lossy("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
}

}  // namespace
}  // namespace suiji::import
