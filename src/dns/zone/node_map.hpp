#pragma once

// The name -> Node map of a Zone, in hash shards that zone versions share copy-on-write.
//
// Every update batch copies the current Zone (zone.hpp: versions are values). With one flat
// map that copy cost O(names): at 20,000 names it took most of the update path's CPU and capped
// durable updates at ~2.7k/s. Copying a NodeMap copies k_shards pointers; the first write to a
// shard clones that shard alone (names / k_shards entries), so a batch of a few updates costs a
// few small shards whatever the size of the zone. Lookups hash the name once more to pick the
// shard: a few ns on the query path.

#include "dns/proto/wire_name.hpp"

#include <array>
#include <cstddef>
#include <memory>
#include <string_view>
#include <unordered_map>

namespace dockerops::dns {

class Node;

// Transparent hash so lookups by std::string_view do not allocate.
struct WireNameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

class NodeMap {
public:
  using Shard = std::unordered_map<WireName, std::shared_ptr<Node>, WireNameHash, std::equal_to<>>;

  NodeMap();

  // The node pointer at a name, or nullptr.
  const std::shared_ptr<Node>* find(std::string_view name) const;

  // The node pointer at a name in a shard of this version alone (cloned first if another version
  // shares it), or nullptr when the name is absent. The Node itself may still be shared.
  std::shared_ptr<Node>* find_writable(std::string_view name);

  // Inserts `node` at a (new) name; returns the stored pointer.
  std::shared_ptr<Node>& insert(std::string_view name, std::shared_ptr<Node> node);

  // Removes a name if present.
  void erase(std::string_view name);

  // Calls fn(name, node) for every entry, unordered.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (const auto& shard : m_shards)
      for (const auto& [name, node] : *shard)
        fn(std::string_view(name), *node);
  }

private:
  static constexpr std::size_t k_shards = 4096; // a version costs 4096 pointer copies (~20 us)

  static std::size_t shard_of(std::string_view name) { return WireNameHash{}(name) % k_shards; }
  Shard& writable_shard(std::size_t index);

  std::array<std::shared_ptr<Shard>, k_shards> m_shards;
};

} // namespace dockerops::dns
