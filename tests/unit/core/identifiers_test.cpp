#include <gtest/gtest.h>

#include "core/identifiers.h"

namespace suiji {

TEST(Uscc, KnownValidCodes) {
  for (const char* c : {"91350100M000100Y43", "91110000600037341L", "914403001922038216"}) {
    EXPECT_TRUE(ValidateUscc(c).ok()) << c;
    EXPECT_EQ(UsccCheckChar(std::string_view(c).substr(0, 17)), c[17]) << c;
  }
}

TEST(Uscc, WrongCheckCharacterIsNamed) {
  auto st = ValidateUscc("91350100M000100Y44");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "uscc.check");
  EXPECT_NE(st.error().message.find("'3'"), std::string::npos);
}

TEST(Uscc, ForbiddenLettersAndLength) {
  EXPECT_EQ(ValidateUscc("91350100M000100O43").error().code, "uscc.charset");
  EXPECT_EQ(ValidateUscc("91350100M000100Y4").error().code, "uscc.length");
}

TEST(RegNo, Mod11_10) {
  EXPECT_EQ(RegNoCheckDigit("11010800000001"), '6');
  EXPECT_TRUE(ValidateRegNo("110108000000016").ok());
  EXPECT_EQ(ValidateRegNo("110108000000017").error().code, "regno.check");
}

TEST(ParseEntityId, NormalisesAndClassifies) {
  auto u = ParseEntityId("  91350100m000100y43\xE3\x80\x80");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->value, "91350100M000100Y43");
  EXPECT_EQ(u->kind, IdKind::kUscc);
  EXPECT_EQ(ParseEntityId("110108000000016")->kind, IdKind::kRegistrationNumber);
  auto legacy = ParseEntityId("企独琼总字第008245号");
  ASSERT_TRUE(legacy.ok());
  EXPECT_EQ(legacy->kind, IdKind::kLegacy);
  EXPECT_EQ(ParseEntityId("469006NA000129X")->kind, IdKind::kLegacy);
}

TEST(ParseEntityId, ExcelFloatGetsItsOwnMessage) {
  for (const char* s : {"9.14690062012665e+17", "9.14690062012665E+17", "914690062012665000.0"}) {
    auto r = ParseEntityId(s);
    ASSERT_FALSE(r.ok()) << s;
    EXPECT_EQ(r.error().code, "id.excel_float") << s;
    EXPECT_NE(r.error().message.find("re-export the column as text"), std::string::npos);
  }
}

// Found by tests/fuzz/identifiers_fuzz.cpp: a valid USCC of digits with one E before digits looked like
// an Excel float ("digits E digits") and was refused as id.excel_float.
TEST(ParseEntityId, ValidUsccWithAnEIsNotAnExcelFloat) {
  auto r = ParseEntityId("91510100000000E125");
  ASSERT_TRUE(r.ok()) << r.error().code;
  EXPECT_EQ(r->kind, IdKind::kUscc);
  EXPECT_EQ(ParseEntityId("91510100000000e125")->value, "91510100000000E125");
  EXPECT_EQ(ParseEntityId("91510100000000E124").error().code, "id.excel_float");  // bad check: still a float
}

TEST(ParseEntityId, BadCodesAreErrorsNotLegacy) {
  EXPECT_EQ(ParseEntityId("91350100M000100Y44").error().code, "uscc.check");
  EXPECT_EQ(ParseEntityId("110108000000017").error().code, "regno.check");
  EXPECT_EQ(ParseEntityId("   ").error().code, "id.empty");
}

TEST(Industry, SectionAndDigits) {
  EXPECT_TRUE(ValidateIndustryCode("C").ok());
  EXPECT_TRUE(ValidateIndustryCode("C1310").ok());
  EXPECT_FALSE(ValidateIndustryCode("Z12").ok());
  EXPECT_FALSE(ValidateIndustryCode("C1").ok());
  EXPECT_FALSE(ValidateIndustryCode("C13101").ok());
}

TEST(Industry, DivisionMustBelongToTheSection) {
  for (const char* ok : {"A01", "A0511", "B06", "C13", "C4390", "D46", "F5211", "K70", "P83", "S96", "T9700"})
    EXPECT_TRUE(ValidateIndustryCode(ok).ok()) << ok;
  auto st = ValidateIndustryCode("F1431");  // 14 (food manufacturing) is in C
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "industry.division");
  EXPECT_NE(st.error().message.find("division 14 belongs to section C, not section F"), std::string::npos)
      << st.error().message;
  EXPECT_EQ(ValidateIndustryCode("A00").error().code, "industry.division");
  EXPECT_NE(ValidateIndustryCode("T98").error().message.find("98 belongs to no section"), std::string::npos);
  EXPECT_EQ(ValidateIndustryCode("K71").error().code, "industry.division");
}

}  // namespace suiji
