#include "project/project.hpp"

#include "base/error.hpp"
#include "base/fs.hpp"
#include "base/strings.hpp"

#include <algorithm>
#include <filesystem>

namespace dockerops::project {

std::string sanitize_project_name(std::string_view raw) {
  // Docker's rule for names: [a-zA-Z0-9][a-zA-Z0-9_.-]*; lower case because
  // the name is also an image namespace. Other characters become '_'.
  std::string out;
  for (char c : strings::to_lower(raw)) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (out.empty() && !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
      continue; // leading characters must be alphanumeric
    out += ok ? c : '_';
  }
  if (out.empty())
    fail(ErrorKind::usage, "project name \"{}\" has no letters or digits; set one with --project-name", raw);
  // The name prefixes image, container and network names; Docker caps an image name at 255 characters.
  if (out.size() > k_max_project_name)
    fail(ErrorKind::usage,
         "project name \"{}...\" has {} characters; it may have at most {} (set a shorter one "
         "with --project-name)",
         out.substr(0, 24), out.size(), k_max_project_name);
  return out;
}

bool is_builtin_service(std::string_view service) {
  return service.rfind("dockerops-", 0) == 0;
}

std::string builtin_image(std::string_view service) {
  if (!is_builtin_service(service))
    return {};
  return "dockerops/" + std::string(service.substr(std::string_view("dockerops-").size()));
}

std::string unknown_service_hint(const Project& project, const std::string& service) {
  if (project.services.empty())
    return fmt::format("; {} holds no service folder: is {} a dockerops project? (--project-dir DIR, or "
                       "\"dockerops install_demo DIR\" for an example)",
                       project.services_dir, project.dir);
  std::vector<std::string> names;
  for (const auto& [name, unused] : project.services)
    names.push_back(name);
  return strings::did_you_mean(service, names);
}

Project make_project(const DiscoveryOptions& options) {
  Project project;
  project.dir = options.dir;
  std::string raw = options.name;
  if (raw.empty())
    raw = std::filesystem::path(options.dir).filename().string();
  project.name = sanitize_project_name(raw);
  project.services_dir = options.services_dir.empty() ? options.dir + "/services" : options.services_dir;
  project.data_dir = options.data_dir.empty() ? options.dir + "/data_" + project.name : options.data_dir;
  return project;
}

void add_service(Project& project, const std::string& name, std::string_view dockerfile_text,
                 std::string_view required_json) {
  std::string dir = project.services_dir + "/" + name;
  if (is_builtin_service(name))
    fail(ErrorKind::config,
         "{}: \"{}\" is a built-in service name (dockerops-dns uses image dockerops/dns); "
         "rename the folder",
         dir, name);
  Service service;
  service.name = name;
  service.dir = dir;
  service.dockerfile = parse_dockerfile(dockerfile_text, "services/" + name + "/Dockerfile");
  service.required_vars = parse_required_vars(required_json, "services/" + name + "/required_env_vars.json");
  project.services[name] = std::move(service);
}

Project discover_project(const DiscoveryOptions& options) {
  Project project = make_project(options);
  std::error_code ec;
  if (!std::filesystem::is_directory(project.services_dir, ec))
    return project; // a project of built-in services only (or none yet): run.conf checks say more
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(project.services_dir, ec))
    if (entry.is_directory() && std::filesystem::exists(entry.path() / "Dockerfile"))
      names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    auto dir = std::filesystem::path(project.services_dir) / name;
    std::string required;
    if (std::filesystem::exists(dir / "required_env_vars.json"))
      required = fs::read_file(dir / "required_env_vars.json");
    add_service(project, name, fs::read_file(dir / "Dockerfile"), required);
  }
  return project;
}

} // namespace dockerops::project
