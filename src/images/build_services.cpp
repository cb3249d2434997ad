#include "images/build_services.hpp"

#include "base/error.hpp"
#include "base/fs.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"
#include "images/dockerfile.hpp"

#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace dockerops::images {
namespace {

struct Job {
  const ServiceBuild* service = nullptr;
  std::set<std::string> waits_for;
  enum class State { pending, running, done } state = State::pending;
};

// Reads the service's Dockerfile, rejects legacy bases, collects request-local parents and makes
// the built-ins it needs; a missing parent image outside the request is a config Error.
std::set<std::string> prepare(engine::Engine& engine, const BuildRequest& request,
                              const ServiceBuild& service, const std::set<std::string>& in_request) {
  std::filesystem::path dockerfile = service.dir / "Dockerfile";
  std::string where = (std::filesystem::path("services") / service.service / "Dockerfile").string();
  if (!std::filesystem::is_regular_file(dockerfile))
    fail(ErrorKind::not_found, "{}: not found; every service folder needs a Dockerfile", where);
  std::vector<FromLine> lines = parse_from_lines(fs::read_file(dockerfile), where);
  check_legacy_base(lines, where);
  std::set<std::string> parents(service.after.begin(), service.after.end());
  for (const FromLine& from : lines) {
    if (from.refers_to_stage)
      continue;
    std::string repo = image_repository(from.image);
    if (std::optional<Builtin> builtin = builtin_for_image(from.image)) {
      ensure_builtin(engine, *builtin, request.builtins);
      continue;
    }
    std::string prefix = request.project + "/";
    if (repo.rfind(prefix, 0) == 0 && in_request.count(repo.substr(prefix.size())) > 0) {
      parents.insert(repo.substr(prefix.size()));
      continue;
    }
    if (!engine.find_image(from.image))
      fail(ErrorKind::config, "{}:{}: base image \"{}\" does not exist here and cannot be pulled{}", where,
           from.line, from.image,
           repo.rfind(prefix, 0) == 0
               ? fmt::format("; build it first: dockerops build:{}", repo.substr(prefix.size()))
               : std::string());
  }
  parents.erase(service.service);
  return parents;
}

} // namespace

std::string service_tag(const std::string& project, const std::string& service) {
  return project + "/" + service + ":latest";
}

std::vector<BuiltImage> build_services(engine::Engine& engine, const BuildRequest& request) {
  std::set<std::string> in_request;
  for (const ServiceBuild& service : request.services)
    in_request.insert(service.service);
  std::map<std::string, Job> jobs;
  std::vector<std::string> order;
  for (const ServiceBuild& service : request.services) {
    Job job;
    job.service = &service;
    job.waits_for = prepare(engine, request, service, in_request);
    for (const std::string& parent : job.waits_for)
      if (in_request.count(parent) == 0)
        fail(ErrorKind::internal, "build of {} waits for {}, which is not in the request", service.service,
             parent);
    jobs[service.service] = std::move(job);
    order.push_back(service.service);
  }

  std::mutex mutex;
  std::condition_variable changed;
  std::exception_ptr first_error;
  std::vector<BuiltImage> built;
  int running = 0;

  // The next job whose parents are done, in request order; nullptr when none is ready.
  auto next_ready = [&]() -> Job* {
    for (const std::string& name : order) {
      Job& job = jobs[name];
      if (job.state != Job::State::pending)
        continue;
      bool ready = true;
      for (const std::string& parent : job.waits_for)
        ready = ready && jobs[parent].state == Job::State::done;
      if (ready)
        return &job;
    }
    return nullptr;
  };
  auto all_started = [&] {
    for (auto& [name, job] : jobs)
      if (job.state == Job::State::pending)
        return false;
    return true;
  };

  auto worker = [&] {
    std::unique_lock<std::mutex> lock(mutex);
    while (true) {
      Job* job = nullptr;
      changed.wait(lock, [&] {
        if (first_error || all_started())
          return true;
        job = next_ready();
        return job != nullptr || running == 0; // nothing ready and nothing running: a cycle
      });
      if (first_error || all_started())
        return;
      if (job == nullptr) {
        std::string names;
        for (auto& [name, j] : jobs)
          if (j.state == Job::State::pending)
            names += (names.empty() ? "" : ", ") + name;
        first_error = std::make_exception_ptr(
            Error(ErrorKind::config, "services " + names + " build FROM each other in a cycle"));
        changed.notify_all();
        return;
      }
      job->state = Job::State::running;
      ++running;
      const ServiceBuild& service = *job->service;
      lock.unlock();
      try {
        interrupt::check();
        BuildContext context = BuildContext::from_directory(service.dir);
        ImageBuild build;
        build.tag = service_tag(request.project, service.service);
        build.display = service.service;
        build.dockerfile_path = (std::filesystem::path("services") / service.service / "Dockerfile").string();
        build.labels = request.labels;
        build.labels["dockerops.project"] = request.project;
        build.labels["dockerops.service"] = service.service;
        build.no_cache = request.no_cache;
        build.verbose = request.verbose;
        build.output = request.output;
        BuildResult result = build_image(engine, context, build);
        lock.lock();
        built.push_back({service.service, build.tag, result});
        job->state = Job::State::done;
      } catch (...) {
        lock.lock();
        if (!first_error)
          first_error = std::current_exception();
        job->state = Job::State::done;
      }
      --running;
      changed.notify_all();
    }
  };

  int threads = std::max(1, std::min<int>(request.jobs, static_cast<int>(jobs.size())));
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i)
    pool.emplace_back(worker);
  for (std::thread& thread : pool)
    thread.join();
  if (first_error)
    std::rethrow_exception(first_error);
  return built;
}

} // namespace dockerops::images
