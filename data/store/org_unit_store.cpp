#include "data/store/org_unit_store.h"

namespace suiji::store {

const TableSpec& OrgUnitCodec::Spec() {
  static const TableSpec spec{"org_units", {"code", "name", "level", "parent", "region"}, 1, {}, "", "org_unit", true};
  return spec;
}

}  // namespace suiji::store
