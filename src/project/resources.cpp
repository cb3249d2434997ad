#include "project/resources.hpp"

#include "base/strings.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <vector>

namespace dockerops::project {

std::int64_t Resources::nano_cpus() const {
  return std::llround(cpus * 1e9);
}

std::optional<std::int64_t> parse_byte_size(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
    ++i;
  std::string_view number = text.substr(0, i);
  if (number.empty() || number.front() == '.' || number.back() == '.' ||
      number.find('.') != number.rfind('.'))
    return std::nullopt;
  std::string unit;
  for (char c : text.substr(i))
    if (c != ' ')
      unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::vector<std::pair<std::string_view, int>> k_units = {
      {"", 0},    {"b", 0}, {"k", 1},  {"kb", 1},  {"kib", 1}, {"m", 2},  {"mb", 2},
      {"mib", 2}, {"g", 3}, {"gb", 3}, {"gib", 3}, {"t", 4},   {"tb", 4}, {"tib", 4}};
  int power = -1;
  for (const auto& [name, p] : k_units)
    if (unit == name)
      power = p;
  if (power < 0)
    return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size())
    return std::nullopt;
  double bytes = value * std::pow(1024.0, power);
  if (bytes >= 9.2e18)
    return std::nullopt;
  if (power == 0 && number.find('.') != std::string_view::npos)
    return std::nullopt; // a fraction of a byte
  return static_cast<std::int64_t>(std::llround(bytes));
}

std::string fmt_byte_size(std::int64_t bytes) {
  static constexpr std::pair<char, int> k_units[] = {{'t', 4}, {'g', 3}, {'m', 2}, {'k', 1}};
  for (auto [unit, power] : k_units) {
    auto size = static_cast<std::int64_t>(std::pow(1024.0, power));
    if (bytes != 0 && bytes % size == 0)
      return fmt::format("{}{}", bytes / size, unit);
  }
  return std::to_string(bytes);
}

std::string fmt_cpus(double cpus) {
  std::string text = fmt::format("{:.9f}", cpus);
  while (text.back() == '0')
    text.pop_back();
  if (text.back() == '.')
    text.pop_back();
  return text;
}

std::string describe(const Resources& r) {
  std::vector<std::string> parts;
  if (r.cpus > 0)
    parts.push_back("cpus " + fmt_cpus(r.cpus));
  if (r.memory > 0)
    parts.push_back("memory " + fmt_byte_size(r.memory));
  if (r.memory_reservation > 0)
    parts.push_back("memory_reservation " + fmt_byte_size(r.memory_reservation));
  if (r.pids > 0)
    parts.push_back(fmt::format("pids {}", r.pids));
  return strings::join(parts, ", ");
}

std::map<std::string, std::string> resource_labels(const Resources& r) {
  std::map<std::string, std::string> labels;
  if (r.cpus > 0)
    labels[std::string(k_label_cpus)] = fmt_cpus(r.cpus);
  if (r.memory > 0)
    labels[std::string(k_label_memory)] = std::to_string(r.memory);
  if (r.memory_reservation > 0)
    labels[std::string(k_label_memory_reservation)] = std::to_string(r.memory_reservation);
  if (r.pids > 0)
    labels[std::string(k_label_pids)] = std::to_string(r.pids);
  return labels;
}

Resources resources_from_labels(const std::map<std::string, std::string>& labels) {
  auto number = [&](std::string_view key, auto& out) {
    auto it = labels.find(std::string(key));
    if (it == labels.end())
      return;
    std::remove_reference_t<decltype(out)> value{};
    auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
    if (ec == std::errc() && end == it->second.data() + it->second.size() && value > 0)
      out = value;
  };
  Resources r;
  number(k_label_cpus, r.cpus);
  number(k_label_memory, r.memory);
  number(k_label_memory_reservation, r.memory_reservation);
  number(k_label_pids, r.pids);
  return r;
}

nlohmann::json resources_json(const Resources& r) {
  auto or_null = [](auto value) { return value > 0 ? nlohmann::json(value) : nlohmann::json(nullptr); };
  return {{"cpus", or_null(r.cpus)},
          {"memory", or_null(r.memory)},
          {"memory_reservation", or_null(r.memory_reservation)},
          {"pids", or_null(r.pids)}};
}

} // namespace dockerops::project
