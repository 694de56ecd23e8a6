#!/usr/bin/python3
"""Writes the real-shaped register exports under tests/data/ (deterministic; re-run to regenerate).

gsxt_export_gbk.csv  GBK, GSXT-style Chinese headers, both 注册号 and 统一社会信用代码 (USCC only, registration
                     number only, both, both with mismatching regions, a USCC that Excel turned into a float),
                     Excel-serial dates, phone numbers as floats, national type labels (全民所有制, 集体所有制, ...),
                     a sole trader without a trade name, a type and a status in no table, one row with no usable id.
city_export_2021.csv An .xls saved as CSV by a clerk (UTF-8 with BOM): database column names mixed with Chinese
                     labels (TYXYDM, ZCH, QYMC, QYLX_ZL, 企业类型名称, ZT, FDDBR, LXDH, DJJG as the authority's
                     name), no region column at all, sole traders without a trade name, USCCs lost to Excel floats.
The expected counts are asserted in tests/unit/import/real_export_test.cpp and tests/integration/cli/.
"""
import csv
import io
import os

CH = '0123456789ABCDEFGHJKLMNPQRTUWXY'
W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(first17):
    s = sum(CH.index(c) * w for c, w in zip(first17, W))
    return first17 + CH[(31 - s % 31) % 31]


def regno(first14):
    p = 10
    for ch in first14:
        s = (p + int(ch)) % 10
        p = ((s or 10) * 2) % 11
    return first14 + str((11 - p) % 10)


def U(cat, region, n):
    return uscc(cat + region + 'MA6C%04d5' % n)


def R(region, n):
    return regno(region + '%08d' % n)


def excel_float(code):  # what Excel shows for an 18-digit number
    digits = ''.join(c if c.isdigit() else '0' for c in code)
    return digits[0] + '.' + digits[1:15] + 'E+17'


HERE = os.path.dirname(os.path.abspath(__file__))

gsxt = [['序号', '注册号', '统一社会信用代码', '企业名称', '企业类型', '登记状态', '法定代表人', '成立日期', '登记区划', '住所', '联系电话']]
rows = [
    # both ids, consistent; phone as a float
    [R('510104', 1), U('91', '510104', 1), '成都锦江蜀香餐饮有限公司', '有限责任公司（自然人投资或控股）', '存续（在营、开业、在册）', '王明', '2012-03-04', '510104', '锦江区人民路1号', '1.38123456789E+10'],
    # USCC only (registered after 三证合一); Excel serial date
    ['', U('91', '510105', 2), '成都市青羊食品厂', '全民所有制', '存续', '李华', '38000', '510105', '青羊区文化路2号', '2.8123456E+7'],
    # registration number only (never re-registered)
    [R('510106', 3), '', '成都金牛农机修理厂', '集体所有制', '吊销，未注销', '赵强', '1995-06-07', '510106', '金牛区二环路3号', ''],
    # both ids, regions disagree (warning, both kept)
    [R('510107', 4), U('91', '510108', 4), '成都成华建材有限公司', '有限责任公司(自然人独资)', '在营（开业）', '钱进', '2008-09-10', '510108', '成华区建设路4号', ''],
    # USCC lost to Excel, valid registration number: kept under the number
    [R('510112', 5), excel_float(U('91', '510112', 5)), '成都龙泉驿果品合作社', '农民专业合作社', '存续', '孙丽', '2010-11-12', '510112', '龙泉驿区5号', ''],
    # sole trader without a trade name: named after the operator
    ['', U('92', '510104', 6), '', '个体工商户', '存续', '周杰', '2019-01-02', '510104', '锦江区春熙路6号', ''],
    # more national types: 股份合作制, 联营, foreign-invested, a branch, full-width brackets
    ['', U('91', '510114', 7), '成都新都股份合作印刷厂', '股份合作制', '存续', '吴刚', '2001-02-03', '510114', '', ''],
    ['', U('91', '510115', 8), '成都温江联营商场', '联营', '存续', '郑红', '1999-04-05', '510115', '', ''],
    ['', U('91', '510116', 9), '成都双流外资电子有限公司', '有限责任公司（外商投资企业法人独资）', '存续', 'John Smith', '2015-06-07', '510116', '', ''],
    ['', U('91', '510104', 10), '成都锦江蜀香餐饮有限公司春熙分公司', '有限责任公司分公司（自然人投资或控股）', '存续', '王明', '2016-08-09', '510104', '', ''],
    # a type and a status in no table: kept, flagged
    ['', U('91', '510105', 11), '成都青羊社会服务中心', '社会服务机构', '迁出', '冯军', '2020-10-11', '510105', '', ''],
    # no region column value: derived from the USCC
    ['', U('91', '510106', 12), '成都金牛五金店有限公司', '有限责任公司（自然人投资或控股）', '存续', '陈东', '2021-12-13', '', '', ''],
    # a bad USCC check character and no registration number: no usable id, rejected
    ['', U('91', '510107', 13)[:-1] + ('0' if U('91', '510107', 13)[-1] != '0' else '1'), '成都坏代码公司', '有限责任公司', '存续', '褚亮', '2022-01-14', '510107', '', ''],
    # a legacy number as 注册号 and no USCC (kept, flagged id.legacy)
    ['企独川总字第004711号', '', '成都老字号外资企业', '外国(地区)企业常驻代表机构', '存续', '卫东', '1992-03-15', '510104', '', ''],
]
for i, r in enumerate(rows, 1):
    gsxt.append([str(i)] + r)

buf = io.StringIO()
csv.writer(buf, lineterminator='\r\n').writerows(gsxt)
with open(os.path.join(HERE, 'gsxt_export_gbk.csv'), 'wb') as f:
    f.write(buf.getvalue().encode('gbk'))

city = [['序号', 'ZCH', 'TYXYDM', 'QYMC', 'QYLX_ZL', '企业类型名称', 'ZT', 'FDDBR', 'LXDH', '注册资本', 'DJJG']]
DJJG = '成都市锦江区市场监督管理局'
n = 0
for k in range(24):
    n += 1
    reg = R('510104', 100 + k)
    kind = k % 6
    if kind == 0:    # both ids, a company by type code only
        city.append([str(n), reg, U('91', '510104', 100 + k), '锦江测试%02d有限公司' % k, '1130', '', '存续', '甲%d' % k, '1.3912345678E+10', '50', DJJG])
    elif kind == 1:  # registration number only, type by label
        city.append([str(n), reg, '', '锦江老厂%02d' % k, '', '全民所有制', '存续', '乙%d' % k, '', '', DJJG])
    elif kind == 2:  # USCC an Excel float, number valid
        city.append([str(n), reg, excel_float(U('91', '510104', 100 + k)), '锦江合作社%02d' % k, '9100', '农民专业合作社', '存续', '丙%d' % k, '', '', DJJG])
    elif kind == 3:  # sole trader without a trade name (无字号个体工商户)
        city.append([str(n), '', U('92', '510104', 100 + k), '', '', '个体工商户', '存续', '丁%d' % k, '', '', DJJG])
    elif kind == 4:  # partnership by code and label
        city.append([str(n), '', U('91', '510104', 100 + k), '锦江合伙%02d企业（有限合伙）' % k, '4533', '有限合伙企业', '吊销，已注销', '戊%d' % k, '', '', DJJG])
    else:            # sole proprietorship, registration number only, type by code
        city.append([str(n), reg, '', '锦江独资%02d' % k, '4540', '', '存续', '己%d' % k, '', '', DJJG])
# no usable id at all: an Excel float and no number
n += 1
city.append([str(n), '', excel_float(U('91', '510104', 999)), '锦江无号公司', '1130', '', '存续', '庚', '', '', DJJG])
buf = io.StringIO()
csv.writer(buf, lineterminator='\r\n').writerows(city)
with open(os.path.join(HERE, 'city_export_2021.csv'), 'wb') as f:
    f.write(b'\xef\xbb\xbf' + buf.getvalue().encode('utf-8'))
