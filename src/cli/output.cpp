#include "cli/output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

namespace dockerops::cli {

void Table::add_row(std::vector<std::string> cells, std::vector<std::string> colors) {
  cells.resize(m_headers.size());
  colors.resize(m_headers.size());
  m_rows.push_back(std::move(cells));
  m_colors.push_back(std::move(colors));
}

std::string Table::render(bool color) const {
  std::vector<std::size_t> widths(m_headers.size());
  for (std::size_t c = 0; c < m_headers.size(); ++c) {
    widths[c] = m_headers[c].size();
    for (const auto& row : m_rows)
      widths[c] = std::max(widths[c], row[c].size());
  }
  std::string out;
  auto emit = [&](const std::vector<std::string>& cells, const std::vector<std::string>* colors, bool bold) {
    std::string line;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      bool last = c + 1 == cells.size();
      const std::string& cell = cells[c];
      std::string padding = last ? "" : std::string(widths[c] - cell.size() + 2, ' ');
      const std::string code = bold ? "1" : (colors != nullptr ? (*colors)[c] : "");
      if (color && !code.empty())
        line += fmt::format("\033[{}m{}\033[0m{}", code, cell, padding);
      else
        line.append(cell).append(padding);
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    out += line + "\n";
  };
  emit(m_headers, nullptr, true);
  for (std::size_t r = 0; r < m_rows.size(); ++r)
    emit(m_rows[r], &m_colors[r], false);
  return out;
}

void print_json(const nlohmann::json& value) {
  print(value.dump(2) + "\n");
}

void print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

} // namespace dockerops::cli
