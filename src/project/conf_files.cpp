#include "project/conf_files.hpp"

#include "base/error.hpp"
#include "base/fs.hpp"
#include "base/strings.hpp"

#include <algorithm>
#include <filesystem>

namespace dockerops::project {

std::string choose_conf_file(const std::string& conf_arg,
                             const std::function<bool(const std::string&)>& exists,
                             const std::vector<std::string>& conf_files_present) {
  if (conf_arg.empty()) {
    for (const char* name : {"run.conf", "default.conf"})
      if (exists(name))
        return name;
    return "";
  }
  if (exists(conf_arg))
    return conf_arg;
  if (exists(conf_arg + ".conf"))
    return conf_arg + ".conf";
  std::vector<std::string> names;
  for (const auto& file : conf_files_present)
    if (file != "host.conf")
      names.push_back(file.size() > 5 && file.ends_with(".conf") ? file.substr(0, file.size() - 5) : file);
  fail(ErrorKind::config, "conf \"{}\": there is no {} or {}.conf in the project dir{}", conf_arg, conf_arg,
       conf_arg, strings::did_you_mean(conf_arg, names));
}

RunConf load_run_conf(const std::string& project_dir, const std::string& conf_arg) {
  namespace stdfs = std::filesystem;
  std::vector<std::string> present;
  std::error_code ec;
  for (const auto& entry : stdfs::directory_iterator(project_dir, ec))
    if (entry.path().extension() == ".conf")
      present.push_back(entry.path().filename().string());
  std::sort(present.begin(), present.end());
  std::string name = choose_conf_file(
      conf_arg,
      [&](const std::string& file) { return stdfs::is_regular_file(stdfs::path(project_dir) / file); },
      present);
  if (name.empty())
    return parse_run_conf("", "run.conf");
  stdfs::path path = stdfs::path(project_dir) / name;
  std::error_code size_error;
  if (std::uintmax_t size = stdfs::file_size(path, size_error); !size_error)
    check_run_conf_size(size, name); // before reading a huge file
  return parse_run_conf(fs::read_file(path), name);
}

std::filesystem::path host_conf_path(const std::string& project_dir) {
  std::filesystem::path root = std::filesystem::path(project_dir) / "host.conf";
  return std::filesystem::exists(root) ? root
                                       : std::filesystem::path(project_dir) / ".dockerops" / "host.conf";
}

HostConf load_host_conf(const std::string& project_dir) {
  std::filesystem::path path = host_conf_path(project_dir);
  if (!std::filesystem::exists(path))
    return {};
  return parse_host_conf(fs::read_file(path), "host.conf");
}

void save_host_conf(const std::string& project_dir, const HostConf& conf) {
  std::filesystem::path path = host_conf_path(project_dir);
  std::filesystem::create_directories(path.parent_path());
  fs::write_file_atomic(path, to_json_text(conf), 0600);
}

DiscoveryOptions discovery_options(const HostInfo& host, const std::string& cwd,
                                   const std::string& project_dir_flag,
                                   const std::string& project_name_flag) {
  namespace stdfs = std::filesystem;
  DiscoveryOptions options;
  stdfs::path dir = project_dir_flag.empty() ? stdfs::path(cwd) : stdfs::path(project_dir_flag);
  if (dir.is_relative())
    dir = stdfs::path(cwd) / dir;
  options.dir = dir.lexically_normal().string();
  if (options.dir.size() > 1 && options.dir.back() == '/')
    options.dir.pop_back();
  auto env = [&](const char* name) {
    const std::string* value = host.getenv(name);
    return value ? *value : std::string();
  };
  auto absolute = [&](const std::string& path) {
    if (path.empty() || path[0] == '/')
      return path;
    return (stdfs::path(options.dir) / path).lexically_normal().string();
  };
  options.name = project_name_flag.empty() ? env("PROJECT_NAME") : project_name_flag;
  options.services_dir = absolute(env("SERVICES_IMAGES_DIR"));
  options.data_dir = absolute(env("DATA_DIR"));
  return options;
}

} // namespace dockerops::project
