#include "apply/watch_state.hpp"

#include "base/fs.hpp"
#include "base/log.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace dockerops::apply {

namespace {

std::filesystem::path record_path(const std::filesystem::path& state_dir, const std::string& service,
                                  const std::string& instance) {
  return state_dir / service / (instance + ".json");
}

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in)
    return nlohmann::json::object();
  std::stringstream text;
  text << in.rdbuf();
  auto j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    log::debug("watch: {} does not parse: starting afresh", path.string());
    return nlohmann::json::object();
  }
  return j;
}

// The record of `container` (a new container's starts empty), changed by `edit`, written back.
template <typename Edit>
void update(const std::filesystem::path& state_dir, const std::string& watcher_service,
            const std::string& watcher_instance, const std::string& container, const std::string& service,
            Edit edit) {
  auto path = record_path(state_dir, watcher_service, watcher_instance);
  nlohmann::json j = read_json(path);
  if (j.value("container", "") != container)
    j = {{"container", container}, {"services", nlohmann::json::object()}};
  if (!j["services"].is_object())
    j["services"] = nlohmann::json::object();
  nlohmann::json& entry = j["services"][service];
  if (!entry.is_object())
    entry = {{"delivered", false}, {"members", nlohmann::json::array()}, {"failures", 0}};
  edit(entry);
  fs::make_dirs(path.parent_path());
  fs::write_file_atomic(path, j.dump(2) + "\n", 0644);
  for (const auto& p : {state_dir, path.parent_path(), path})
    fs::chown_to_invoking_user(p);
}

} // namespace

std::filesystem::path watch_state_dir(const std::filesystem::path& project_dir) {
  return project_dir / ".dockerops" / "watch";
}

std::map<std::string, plan::ObservedWatcher> read_watch_state(const std::filesystem::path& state_dir) {
  std::map<std::string, plan::ObservedWatcher> out;
  std::error_code ec;
  for (const auto& service_dir : std::filesystem::directory_iterator(state_dir, ec)) {
    if (!service_dir.is_directory())
      continue;
    for (const auto& file : std::filesystem::directory_iterator(service_dir.path(), ec)) {
      if (file.path().extension() != ".json")
        continue;
      nlohmann::json j = read_json(file.path());
      if (!j.contains("container") || !j["container"].is_string())
        continue;
      plan::ObservedWatcher w;
      w.container_id = j["container"].get<std::string>();
      if (j.contains("services") && j["services"].is_object())
        for (const auto& [service, entry] : j["services"].items()) {
          if (!entry.is_object())
            continue;
          plan::ObservedDelivery d;
          d.delivered = entry.value("delivered", false);
          d.failures = entry.value("failures", 0);
          if (entry.contains("members") && entry["members"].is_array())
            for (const auto& m : entry["members"])
              if (m.is_string())
                d.members.push_back(m.get<std::string>());
          w.services[service] = std::move(d);
        }
      out[service_dir.path().filename().string() + "/" + file.path().stem().string()] = std::move(w);
    }
  }
  return out;
}

void record_watch_delivery(const std::filesystem::path& state_dir, const std::string& watcher_service,
                           const std::string& watcher_instance, const std::string& container,
                           const std::string& service, const std::vector<std::string>& members) {
  update(state_dir, watcher_service, watcher_instance, container, service, [&](nlohmann::json& entry) {
    entry["delivered"] = true;
    entry["members"] = members;
    entry["failures"] = 0;
    entry.erase("last_failure");
  });
}

void record_watch_failure(const std::filesystem::path& state_dir, const std::string& watcher_service,
                          const std::string& watcher_instance, const std::string& container,
                          const std::string& service, const WatchFailure& failure) {
  update(state_dir, watcher_service, watcher_instance, container, service, [&](nlohmann::json& entry) {
    entry["failures"] = entry.value("failures", 0) + 1;
    entry["last_failure"] = {
        {"hook", failure.hook}, {"exit_code", failure.exit_code}, {"output", failure.output}};
  });
}

} // namespace dockerops::apply
