// EntityStore: the register of inspected entities (检查对象名录库), table `entities`, key `id`.
// updated_at is stamped on every insert/update and is not part of the Entity value.
#pragma once
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

class EntityStore : public Repository<EntityCodec> {
 public:
  using Repository::Repository;
  Result<std::optional<Entity>> Get(std::string_view id) { return GetByKey({std::string(id)}); }
};

}  // namespace suiji::store
