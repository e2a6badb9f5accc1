// The Store's private state: ownership of every runtime object and the
// canonical function-type ids that make call_indirect checks one compare.
#pragma once
#include <map>
#include <memory>
#include <vector>

#include "interp.h"

namespace ws {

struct Store::Impl {
  std::vector<std::unique_ptr<FunctionState>> funcs;
  std::vector<std::unique_ptr<Memory>> memories;
  std::vector<std::unique_ptr<Table>> tables;
  std::vector<std::unique_ptr<Global>> globals;
  std::vector<std::unique_ptr<InstanceState>> instances;
  std::map<std::pair<std::vector<ValType>, std::vector<ValType>>, uint32_t> type_ids;

  uint32_t type_id(const FuncType& t) {
    auto key = std::make_pair(t.params, t.results);
    auto it = type_ids.find(key);
    if (it != type_ids.end()) return it->second;
    const uint32_t id = uint32_t(type_ids.size());
    type_ids.emplace(std::move(key), id);
    return id;
  }
};

}  // namespace ws
