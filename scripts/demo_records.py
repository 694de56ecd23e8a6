#!/usr/bin/python3
"""Synthetic credit records for the README demo: inspection results, penalties and list decisions
for a generated register, chosen deterministically from each entity's code (SHA-256), so every run
of the demo scores and flags the same entities. Standard library only.

  scripts/demo_records.py ENTITIES.CSV OUT_DIR   -> results.csv, penalties.csv, lists.csv
"""
import csv
import hashlib
import os
import sys


def draw(code, salt, modulus):
    return int.from_bytes(hashlib.sha256((salt + code).encode()).digest()[:8], "big") % modulus


def day(code, salt, first_year, years):
    n = draw(code, salt, 365 * years)
    y, d = first_year + n // 365, n % 365
    m = min(12, d // 28 + 1)
    return f"{y}-{m:02d}-{d % 28 + 1:02d}"


def main(entities_csv, out):
    with open(entities_csv, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    codes = [r[0] for r in rows[1:] if r and r[0]]
    results, penalties, lists = [], [], []
    for code in codes:
        risk = draw(code, "risk|", 100)  # 0..99: a latent propensity, so the records correlate
        if draw(code, "inspected|", 100) < 35:  # inspected in 2024-2025 (outside the 180-day exclusion)
            outcome = ("发现问题已责令改正" if risk >= 80 or draw(code, "p|", 10) == 0 else
                       "通过登记的住所或者经营场所无法联系" if risk >= 97 else "未发现问题")
            results.append([code, "SAMR", day(code, "rd|", 2024, 2), outcome, "", "DEMO-HISTORY"])
        if risk >= 90 and draw(code, "pen|", 3) == 0:
            kind = "罚款" if risk < 98 else "罚款;没收违法所得"
            amount = 2000 + draw(code, "amt|", 50) * 1000
            penalties.append([f"川市监罚〔2025〕{len(penalties) + 1}号", code, "四川省市场监督管理局（演示）", kind,
                              day(code, "pd|", 2025, 1), str(amount), "《中华人民共和国食品安全法》第一百二十二条"])
        if risk >= 96 and draw(code, "list|", 2) == 0:
            lists.append([f"川市监异列〔2024〕{len(lists) + 1}号", code, "经营异常名录",
                          "未按规定报送年度报告", day(code, "ld|", 2024, 1), "四川省市场监督管理局（演示）", "", "", "", ""])
        if risk == 99 and draw(code, "serious|", 4) == 0:
            lists.append([f"川市监严列〔2025〕{len(lists) + 1}号", code, "严重违法失信名单",
                          "提交虚假材料取得登记", day(code, "sd|", 2025, 1), "四川省市场监督管理局（演示）", "", "", "", ""])
    os.makedirs(out, exist_ok=True)

    def write(name, header, body):
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(body)
        print(f"{name}: {len(body)} rows")

    write("results.csv", ["统一社会信用代码", "检查部门", "检查日期", "检查结果", "检查人员", "抽查计划"], results)
    write("penalties.csv", ["行政处罚决定书文号", "统一社会信用代码", "处罚机关", "处罚类别", "处罚决定日期", "罚没金额(元)",
                            "处罚依据"], penalties)
    write("lists.csv", ["决定书文号", "统一社会信用代码", "名录类别", "列入事由", "列入日期", "作出决定机关", "事由消除日期",
                        "移出日期", "移出事由", "移出机关"], lists)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
