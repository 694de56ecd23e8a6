#include "data/store/org_unit_store.h"

namespace suiji::store {

const TableSpec& OrgUnitCodec::Spec() {
  // department came with migration 0008, after rows were first hashed: a late column.
  static const TableSpec spec{"org_units", {"code", "name", "level", "parent", "region", "department"}, 1, {}, "",
                              "org_unit", true, {"department"}};
  return spec;
}

}  // namespace suiji::store
