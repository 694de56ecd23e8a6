#include "data/store/entity_store.h"

namespace suiji::store {

const TableSpec& EntityCodec::Spec() {
  static const TableSpec spec{"entities",
                              {"id", "id_kind", "name", "entity_type", "region", "industry", "status", "established",
                               "address", "legal_rep", "special_registers"},
                              1,
                              {"special_registers"},
                              "updated_at",
                              "entity",
                              true};
  return spec;
}

Row EntityCodec::ToRow(const Entity& e) {
  return {e.id.value,  IdKindName(e.id.kind), e.name,    e.entity_type, e.region,
          e.industry,  e.status,              e.established, e.address, e.legal_rep,
          EncodeList(e.special_registers)};
}

Row EntityCodec::ToRow(Entity&& e) {
  Row r;
  r.reserve(Spec().columns.size() + 3);  // + the stamp and provenance values the store appends
  r.push_back(std::move(e.id.value));
  r.emplace_back(IdKindName(e.id.kind));
  for (std::string* f : {&e.name, &e.entity_type, &e.region, &e.industry, &e.status, &e.established, &e.address,
                         &e.legal_rep})
    r.push_back(std::move(*f));
  r.push_back(EncodeList(e.special_registers));
  return r;
}

Result<Entity> EntityCodec::FromRow(const Row& r) {
  Entity e;
  e.id.value = r[0];
  if (r[1] == IdKindName(IdKind::kUscc)) e.id.kind = IdKind::kUscc;
  else if (r[1] == IdKindName(IdKind::kRegistrationNumber)) e.id.kind = IdKind::kRegistrationNumber;
  else if (r[1] == IdKindName(IdKind::kLegacy)) e.id.kind = IdKind::kLegacy;
  else return Error{"store.decode", "entity " + r[0] + " has unknown id_kind '" + r[1] + "'", "id_kind"};
  e.name = r[2];
  e.entity_type = r[3];
  e.region = r[4];
  e.industry = r[5];
  e.status = r[6];
  e.established = r[7];
  e.address = r[8];
  e.legal_rep = r[9];
  auto regs = DecodeList(r[10], "special_registers");
  if (!regs) return regs.error();
  e.special_registers = std::move(regs).value();
  return e;
}

}  // namespace suiji::store
