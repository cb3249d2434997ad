#pragma once

#include <mutex>
#include <string>
#include <string_view>

namespace dockerops {

// Progress of long work (root bootstrap, run:all): on a terminal one line that
// is rewritten in place ("\r" and padding, no escape sequences, so NO_COLOR
// and log captures stay clean); otherwise plain lines, one per update, so CI
// logs and pipes read well. Safe to update from several threads.
class Progress {
public:
  // `label` starts every line ("starting instances"); `total` 0 = unknown.
  Progress(std::string label, int total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Reports `done` of total with a detail ("demo/one ready").
  void update(int done, std::string_view detail);
  // Reports a detail without a count (a debootstrap line).
  void note(std::string_view detail);
  // Prints a whole line (a status message) on stdout above the updating
  // line, which is drawn again below it; a plain line when not in place.
  void print_above(const std::string& line);
  // Ends the updating line (a newline on a terminal).
  void finish();

  // True when updates rewrite one line (stderr is a terminal, not quiet).
  bool in_place() const { return m_in_place; }

private:
  void emit(const std::string& text);

  std::string m_label;
  int m_total = 0;
  bool m_in_place = false;
  bool m_finished = false;
  std::size_t m_last_width = 0;
  std::string m_current; // the text of the updating line
  std::mutex m_mutex;
};

} // namespace dockerops
