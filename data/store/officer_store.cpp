#include "data/store/officer_store.h"

namespace suiji::store {

const TableSpec& OfficerCodec::Spec() {
  static const TableSpec spec{"officers",
                              {"cert_no", "name", "org_unit", "department", "jurisdictions", "qualifications",
                               "status", "conflicts"},
                              1,
                              {"jurisdictions", "qualifications", "conflicts"},
                              "",
                              "officer",
                              true};
  return spec;
}

Row OfficerCodec::ToRow(const Officer& o) {
  return {o.cert_no, o.name, o.org_unit, o.department, EncodeList(o.jurisdictions), EncodeList(o.qualifications),
          o.status, EncodeList(o.conflicts)};
}

Result<Officer> OfficerCodec::FromRow(const Row& r) {
  Officer o;
  o.cert_no = r[0];
  o.name = r[1];
  o.org_unit = r[2];
  o.department = r[3];
  auto j = DecodeList(r[4], "jurisdictions");
  if (!j) return j.error();
  auto q = DecodeList(r[5], "qualifications");
  if (!q) return q.error();
  o.status = r[6];
  auto c = DecodeList(r[7], "conflicts");
  if (!c) return c.error();
  o.jurisdictions = std::move(j).value();
  o.qualifications = std::move(q).value();
  o.conflicts = std::move(c).value();
  return o;
}

}  // namespace suiji::store
