#include "http/sse.hpp"

#include <charconv>

namespace dockerops::http {
namespace {

std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c != '\r' && c != '\n')
      out += c;
  return out;
}

std::optional<std::uint64_t> parse_id(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty())
    return std::nullopt;
  return value;
}

} // namespace

std::string sse_event(std::string_view data, std::string_view type, std::string_view id) {
  std::string out;
  if (!id.empty())
    out += "id: " + one_line(id) + "\n";
  if (!type.empty())
    out += "event: " + one_line(type) + "\n";
  std::size_t start = 0;
  while (true) {
    std::size_t end = data.find_first_of("\r\n", start);
    out += "data: ";
    out.append(data.substr(start, end == std::string_view::npos ? data.npos : end - start));
    out += '\n';
    if (end == std::string_view::npos)
      break;
    start = end + 1;
    if (data[end] == '\r' && start < data.size() && data[start] == '\n')
      ++start;
  }
  out += '\n';
  return out;
}

std::string sse_retry(int milliseconds) {
  return "retry: " + std::to_string(milliseconds) + "\n\n";
}

std::string sse_comment(std::string_view text) {
  return ": " + one_line(text) + "\n\n";
}

ResumePoint resume_point(std::string_view last_event_id, const std::optional<std::string>& since) {
  ResumePoint point;
  if (!last_event_id.empty()) {
    point.after = parse_id(last_event_id);
    point.invalid = !point.after;
    return point;
  }
  if (since) {
    point.after = parse_id(*since);
    point.invalid = !point.after;
  }
  return point;
}

} // namespace dockerops::http
