// The suite's route table, built once per fuzzing process.
#pragma once

#include "gateway/route_table.h"

namespace thb::gateway {

inline const RouteTable& SuiteRouteTable() {
  static const auto* table = new RouteTable(*RouteTable::Build(SuiteServices()));
  return *table;
}

}  // namespace thb::gateway
