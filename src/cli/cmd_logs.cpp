#include "base/error.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/instances.hpp"
#include "cli/project_loader.hpp"
#include "engine/engine.hpp"

#include <unistd.h>

#include <exception>
#include <mutex>
#include <set>
#include <thread>

namespace dockerops::cli {
namespace {

std::mutex g_output;

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n <= 0)
      return;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Prints one container's output; with a prefix, whole lines only ("demo-one | ...").
void stream_logs(engine::Engine& engine, const InstanceRow& row, const engine::LogOptions& options,
                 const std::string& prefix) {
  std::string pending[3];
  auto output = [&](engine::Stream stream, std::string_view bytes) {
    int fd = stream == engine::Stream::error ? STDERR_FILENO : STDOUT_FILENO;
    if (prefix.empty()) {
      std::lock_guard lock(g_output);
      write_all(fd, bytes);
      return true;
    }
    std::string& buffer = pending[static_cast<int>(stream) % 3];
    buffer.append(bytes);
    std::size_t start = 0;
    std::string out;
    for (auto nl = buffer.find('\n'); nl != std::string::npos; nl = buffer.find('\n', start)) {
      out += prefix + buffer.substr(start, nl - start + 1);
      start = nl + 1;
    }
    buffer.erase(0, start);
    std::lock_guard lock(g_output);
    write_all(fd, out);
    return true;
  };
  // On a swarm, a service's logs gather its tasks' output from every node.
  if (!row.service_id.empty())
    engine.swarm().service_logs(row.service_id, options, output);
  else
    engine.logs(row.container.id, options, output);
  std::lock_guard lock(g_output);
  for (int i = 0; i < 3; ++i)
    if (!pending[i].empty())
      write_all(i == 2 ? STDERR_FILENO : STDOUT_FILENO, prefix + pending[i] + "\n");
}

// One container's output as is; several multiplexed line by line with "service-instance | "
// prefixes, one thread per container. Throws the first error once every stream ended.
void stream_all(engine::Engine& engine, const std::vector<InstanceRow>& rows,
                const engine::LogOptions& options) {
  if (rows.size() == 1) {
    stream_logs(engine, rows.front(), options, "");
    return;
  }
  std::size_t width = 0;
  for (const auto& r : rows)
    width = std::max(width, r.service.size() + 1 + r.instance.size());
  std::vector<std::thread> threads;
  std::exception_ptr error;
  std::mutex error_mutex;
  for (const auto& r : rows) {
    std::string name = r.service + "-" + r.instance;
    std::string prefix = name + std::string(width - name.size(), ' ') + " | ";
    threads.emplace_back([&, r, prefix] {
      try {
        stream_logs(engine, r, options, prefix);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error)
          error = std::current_exception();
      }
    });
  }
  for (auto& t : threads)
    t.join();
  if (error)
    std::rethrow_exception(error);
}

} // namespace

// logs[:SERVICE[,instance=NAME]][,follow=true][,tail=N]: the output of instances; several are
// multiplexed line by line with "service-instance | " prefixes, one thread per container.
int cmd_logs(Context& context, const Arguments& args) {
  std::string project = project_name(context);
  engine::Engine& engine = context.engine();
  std::string service = args.get_or("service", "all");
  auto all_rows = instances_of(engine, project, on_swarm(context));
  auto rows = filter_instances(all_rows, service, args.get("instance"));
  if (rows.empty())
    fail_no_instance("logs", project, service, args.get("instance"), all_rows);
  // One stream per service on a swarm (its replicas' output comes together).
  std::set<std::string> seen;
  std::erase_if(
      rows, [&](const InstanceRow& r) { return !r.service_id.empty() && !seen.insert(r.service_id).second; });
  engine::LogOptions options;
  options.follow = args.flag("follow");
  options.timestamps = args.flag("timestamps");
  options.tail = args.get_or("tail", "all");
  try {
    stream_all(engine, rows, options);
  } catch (const Error& e) {
    // Ctrl-C is how `logs -f` ends: no error line.
    if (e.kind() == ErrorKind::interrupted && options.follow)
      return k_exit_interrupted;
    throw;
  }
  return 0;
}

} // namespace dockerops::cli
