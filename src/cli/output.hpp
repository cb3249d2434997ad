#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace dockerops::cli {

// A plain text table: columns aligned to their widest cell, a header row,
// optional per-cell colour (only used when `color` is true, i.e. on a TTY
// with NO_COLOR unset), so piped output never carries escape sequences.
class Table {
public:
  explicit Table(std::vector<std::string> headers) : m_headers(std::move(headers)) {}

  // Adds a row; `colors` holds an ANSI SGR code per cell ("32" green) or "".
  void add_row(std::vector<std::string> cells, std::vector<std::string> colors = {});
  std::string render(bool color) const;
  bool empty() const { return m_rows.empty(); }

private:
  std::vector<std::string> m_headers;
  std::vector<std::vector<std::string>> m_rows;
  std::vector<std::vector<std::string>> m_colors;
};

// Prints JSON for scripts: indented, one document, trailing newline, on stdout.
void print_json(const nlohmann::json& value);

// Writes text to stdout as is.
void print(const std::string& text);

} // namespace dockerops::cli
