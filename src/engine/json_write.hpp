#pragma once

#include "engine/types.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <type_traits>
#include <vector>

// Writers shared by the request mappings: a field at its default (empty, zero) is left out of a body,
// so that the daemon applies its own default and a body read back compares equal.
namespace dockerops::engine::json_write {

inline void put_if(nlohmann::json& obj, const char* key, const std::string& value) {
  if (!value.empty())
    obj[key] = value;
}

inline void put_if(nlohmann::json& obj, const char* key, const std::vector<std::string>& value) {
  if (!value.empty())
    obj[key] = value;
}

inline void put_if(nlohmann::json& obj, const char* key, const Labels& value) {
  if (!value.empty())
    obj[key] = value;
}

template <typename Number>
requires std::is_arithmetic_v<Number>
void put_if(nlohmann::json& obj, const char* key, Number value) {
  if (value != 0)
    obj[key] = value;
}

} // namespace dockerops::engine::json_write
