#include "data/store/item_store.h"

namespace suiji::store {

const TableSpec& ItemCodec::Spec() {
  static const TableSpec spec{"inspection_items",
                              {"department", "code", "category", "name", "target", "item_class", "methods", "subject",
                               "legal_basis", "industries", "qualification"},
                              2,
                              {"methods", "legal_basis", "industries"},
                              "",
                              "item",
                              true};
  return spec;
}

Row ItemCodec::ToRow(const InspectionItem& i) {
  return {i.department, i.code, i.category, i.name, i.target, i.item_class, EncodeList(i.methods), i.subject,
          EncodeList(i.legal_basis), EncodeList(i.industries), i.qualification};
}

Result<InspectionItem> ItemCodec::FromRow(const Row& r) {
  InspectionItem i;
  i.department = r[0];
  i.code = r[1];
  i.category = r[2];
  i.name = r[3];
  i.target = r[4];
  i.item_class = r[5];
  auto m = DecodeList(r[6], "methods");
  if (!m) return m.error();
  i.subject = r[7];
  auto l = DecodeList(r[8], "legal_basis");
  if (!l) return l.error();
  auto ind = DecodeList(r[9], "industries");
  if (!ind) return ind.error();
  i.qualification = r[10];
  i.methods = std::move(m).value();
  i.legal_basis = std::move(l).value();
  i.industries = std::move(ind).value();
  return i;
}

}  // namespace suiji::store
