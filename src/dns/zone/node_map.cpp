#include "dns/zone/node_map.hpp"

namespace dockerops::dns {

NodeMap::NodeMap() {
  // One empty shard shared by all slots until the first write: an empty zone costs one map.
  auto empty = std::make_shared<Shard>();
  m_shards.fill(empty);
}

const std::shared_ptr<Node>* NodeMap::find(std::string_view name) const {
  const Shard& shard = *m_shards[shard_of(name)];
  auto it = shard.find(name);
  return it == shard.end() ? nullptr : &it->second;
}

NodeMap::Shard& NodeMap::writable_shard(std::size_t index) {
  std::shared_ptr<Shard>& shard = m_shards[index];
  if (shard.use_count() > 1)
    shard = std::make_shared<Shard>(*shard); // shared with another version (or slot): clone
  return *shard;
}

std::shared_ptr<Node>* NodeMap::find_writable(std::string_view name) {
  std::size_t index = shard_of(name);
  if (m_shards[index]->find(name) == m_shards[index]->end())
    return nullptr;
  Shard& shard = writable_shard(index);
  return &shard.find(name)->second;
}

std::shared_ptr<Node>& NodeMap::insert(std::string_view name, std::shared_ptr<Node> node) {
  Shard& shard = writable_shard(shard_of(name));
  return shard.insert_or_assign(WireName(name), std::move(node)).first->second;
}

void NodeMap::erase(std::string_view name) {
  std::size_t index = shard_of(name);
  if (m_shards[index]->find(name) == m_shards[index]->end())
    return;
  Shard& shard = writable_shard(index);
  shard.erase(shard.find(name));
}

} // namespace dockerops::dns
