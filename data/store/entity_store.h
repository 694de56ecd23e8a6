// EntityStore: the register of inspected entities (检查对象名录库), table `entities`, key `id`.
// updated_at is stamped on every insert/update and is not part of the Entity value.
#pragma once
#include <map>

#include "core/domain.h"
#include "data/store/repository.h"

namespace suiji::store {

struct EntityCodec {
  using Value = Entity;
  static const TableSpec& Spec();
  static Row ToRow(const Entity& e);
  static Row ToRow(Entity&& e);  // the same, moving the strings (the import's hot path)
  static Result<Entity> FromRow(const Row& r);
};

// A re-registration (换照) found in an import batch: the entity known as `from` (its registration
// number or legacy id) now has the USCC `to`.
struct Reregistration {
  std::string from, to;
  std::int64_t records_moved = 0;  // rows of other tables that followed it
  std::string conflict;            // non-empty: not done, and why (both ids already in the register)
};

// The tables whose entity_id follows an entity through a re-registration (records, list memberships
// and events, flags, repairs, complaints, credit scores, recusals). Committed draws keep the id they
// committed: a bundle is a published fact.
const std::vector<std::string>& EntityHistoryTables();

class EntityStore : public Repository<EntityCodec> {
 public:
  using Repository::Repository;
  Result<std::optional<Entity>> Get(std::string_view id) { return GetByKey({std::string(id)}); }

  // Before a batch's Upsert, inside the same transaction: every row of `batch` whose primary id is a
  // USCC and whose registration number is the primary id of a stored entity is that entity,
  // re-registered. Its primary id becomes the USCC (Table::Rekey: one entity.update event naming both
  // ids), its history in EntityHistoryTables() follows it, entity_renames records old -> new, and one
  // entity.reregister event names both ids and what moved. The Upsert then updates the row as usual.
  Result<std::vector<Reregistration>> Reregister(Transaction& tx, const PreparedRows& batch, std::string_view actor);

  // The primary id for any id an entity was known by: itself, its registration number, or an id it
  // had before a re-registration. nullopt when none.
  Result<std::optional<std::string>> Resolve(std::string_view id);
  // The current primary id of entities renamed since `ids` were written (old -> new), for draws.
  Result<std::map<std::string, std::string>> Renamed(const std::vector<std::string>& ids);
  // Every recorded rename, old -> new.
  Result<std::map<std::string, std::string>> AllRenames();

  // One keyset page of the register (by id, after `after`), filtered: every non-empty field must hold.
  struct Filter {
    std::string region;       // a province, city or county code: covers the entities below it
    std::string industry;     // GB/T 4754 prefix ("F52" matches "F5223")
    std::string status;       // active | deregistered | revoked | abnormal | other
    std::string entity_type;  // the coarse class
    std::string name;         // a substring of the name
  };
  Result<std::vector<Entity>> Page(const Filter& filter, const std::string& after, std::int64_t limit);
  // Entities per region code (the register's own codes, usually counties): coverage's denominators.
  Result<std::map<std::string, std::int64_t>> CountByRegion();
};

}  // namespace suiji::store
