#pragma once

#include "engine/types.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

// Tolerant readers of Engine API replies, shared by the response mappings: the daemon leaves fields
// out or sends null for empty lists, and a field of an unexpected type must not abort a whole listing.
namespace dockerops::engine::json_read {

// obj[key] as T when present and of the right type, else `fallback`.
template <typename T>
T get_or(const nlohmann::json& obj, const char* key, T fallback = T{}) {
  if (!obj.is_object())
    return fallback;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null())
    return fallback;
  try {
    return it->get<T>();
  } catch (const nlohmann::json::exception&) {
    return fallback;
  }
}

// obj[key], or null when obj is no object or lacks the key.
inline const nlohmann::json& child(const nlohmann::json& obj, const char* key) {
  static const nlohmann::json k_null;
  if (!obj.is_object())
    return k_null;
  auto it = obj.find(key);
  return it == obj.end() ? k_null : *it;
}

inline std::vector<std::string> string_list(const nlohmann::json& obj, const char* key) {
  return get_or<std::vector<std::string>>(obj, key);
}

inline Labels label_map(const nlohmann::json& obj, const char* key) {
  return get_or<Labels>(obj, key);
}

} // namespace dockerops::engine::json_read
