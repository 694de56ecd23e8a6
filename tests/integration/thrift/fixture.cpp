#include "tests/integration/thrift/fixture.h"

#include <cstdio>

namespace suiji::rpc::testing {
namespace {

Date D(const char* s) { return ParseDate(s).value(); }

Flag ProcurementBan(Date from, std::optional<Date> to) {
  return Flag{"发改财金〔2016〕1757号", "限制参与政府采购活动", "财政部门",
              "《企业信息公示暂行条例》第十八条", from, to};
}

Flag HonorBan(Date from) {
  return Flag{"发改财金〔2016〕1757号", "不得授予相关荣誉称号", "文明办", "《企业信息公示暂行条例》第十八条", from,
              std::nullopt};
}

Flag BidBan(Date from) {
  return Flag{"发改财金〔2018〕1933号", "限制参加工程招投标", "住房城乡建设部门",
              "《严重违法失信企业名单管理暂行办法》第十五条", from, std::nullopt};
}

EntityId Id(const std::string& raw) { return ParseEntityId(raw).value(); }

}  // namespace

Date FixtureToday() { return D("2024-06-30"); }

std::string MakeUscc(std::string_view region6, unsigned serial) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%07u", serial % 10000000u);
  std::string first17 = "91" + std::string(region6) + "MA" + digits;
  return first17 + UsccCheckChar(first17);
}

FixtureCodes Codes() {
  FixtureCodes c;
  c.listed = MakeUscc("510100", 1);
  c.clean = MakeUscc("510100", 2);
  c.serious = MakeUscc("510104", 3);
  std::string reg14 = "51010000012345";
  c.regno = reg14 + RegNoCheckDigit(reg14);
  c.legacy = "企独川总字第000123号";
  c.unknown = MakeUscc("510100", 9999);
  return c;
}

void Seed(InMemoryCreditBackend& backend, InMemoryTokenStore& tokens) {
  FixtureCodes c = Codes();
  {
    SeedEntity e{Id(c.listed), "成都川味食品有限公司", {}, {}, std::nullopt};
    e.lists.push_back({std::string(kAbnormalOperations), "未按规定期限公示年度报告", D("2023-07-01"),
                       "成都市市场监督管理局", std::nullopt, ""});
    e.flags.push_back(ProcurementBan(D("2023-07-01"), std::nullopt));
    e.flags.push_back(ProcurementBan(D("2020-01-01"), D("2021-01-01")));  // expired
    e.classification = Classification{Id(c.listed), "C", 58.5, "sc-credit-2024.1", D("2024-06-01"),
                                      {{"abnormal_list", 1, -20, -20, false},
                                       {"complaints_12m", 3, -2.5, -7.5, false},
                                       {"tax_rating", 0, 6, 0, true}}};
    backend.Put(std::move(e));
  }
  {
    SeedEntity e{Id(c.clean), "成都锦江好味餐饮有限公司", {}, {}, std::nullopt};
    e.classification = Classification{Id(c.clean), "A", 92.0, "sc-credit-2024.1", D("2024-06-01"),
                                      {{"tax_rating", 1, 6, 6, false}}};
    backend.Put(std::move(e));
  }
  {
    SeedEntity e{Id(c.serious), "成都某建材贸易有限公司", {}, {}, std::nullopt};
    e.lists.push_back({std::string(kAbnormalOperations), "通过登记的住所无法联系", D("2019-03-01"),
                       "成都市锦江区市场监督管理局", D("2022-03-01"), "列入严重违法失信名单"});
    e.lists.push_back({std::string(kSeriousViolation), "列入经营异常名录届满3年仍未履行相关义务",
                       D("2022-03-01"), "成都市市场监督管理局", std::nullopt, ""});
    e.flags.push_back(HonorBan(D("2022-03-01")));
    e.flags.push_back(BidBan(D("2022-03-01")));
    backend.Put(std::move(e));
  }
  {
    SeedEntity e{Id(c.regno), "成都老字号副食店", {}, {}, std::nullopt};
    e.flags.push_back(HonorBan(D("2024-01-15")));
    backend.Put(std::move(e));
  }
  backend.Put(SeedEntity{Id(c.legacy), "四川某外资企业", {}, {}, std::nullopt});

  (void)tokens.Add(Client{"credit-sc", "NDRC", {Scope::kReadPublic}}, HashToken(kReaderToken));
  (void)tokens.Add(Client{"samr-risk", "SAMR", {Scope::kReadPublic, Scope::kReadClass}}, HashToken(kAnalystToken));
  (void)tokens.Add(Client{"tax-sc", "TAX", {Scope::kReadPublic, Scope::kPush}}, HashToken(kTaxToken));
}

std::string ManyCode(int i) { return MakeUscc("510100", 100000u + static_cast<unsigned>(i)); }

void SeedMany(InMemoryCreditBackend& backend, int n) {
  for (int i = 0; i < n; ++i) {
    std::string code = ManyCode(i);
    SeedEntity e{Id(code), "合成企业" + std::to_string(i), {}, {}, std::nullopt};
    if (i % 10 == 0) {
      e.flags.push_back(ProcurementBan(D("2023-01-01"), std::nullopt));
      e.flags.push_back(BidBan(D("2023-01-01")));
      e.flags.push_back(ProcurementBan(D("2019-01-01"), D("2020-01-01")));
    }
    if (i % 50 == 0)
      e.lists.push_back({std::string(kAbnormalOperations), "未按规定期限公示年度报告", D("2023-01-01"),
                         "成都市市场监督管理局", std::nullopt, ""});
    backend.Put(std::move(e));
  }
}

}  // namespace suiji::rpc::testing
