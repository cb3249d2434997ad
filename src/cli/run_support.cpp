#include "cli/run_support.hpp"

#include "apply/dns_registrar.hpp"
#include "apply/extra_labels.hpp"
#include "apply/fault.hpp"
#include "apply/observe.hpp"
#include "base/log.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "images/build_services.hpp"
#include "images/builtin.hpp"
#include "plan/planner.hpp"

#include <set>

namespace dockerops::cli {

bool build_missing_images(Context& context, const LoadedProject& loaded,
                          const project::ResolvedProject& resolved) {
  std::set<std::string> services;
  bool dns = false;
  for (const auto& r : resolved.instances) {
    if (!r.image_id.empty())
      continue;
    if (r.builtin_service)
      dns = dns || r.is_dns;
    else
      services.insert(r.service);
  }
  if (services.empty() && !dns)
    return false;
  engine::Engine& engine = context.engine();
  if (dns) {
    log::notice("image dockerops/dns does not exist: building it");
    images::ensure_builtin(engine, images::Builtin::dns);
  }
  if (!services.empty()) {
    plan::Plan builds = plan::plan_build(loaded.project, {services.begin(), services.end()});
    images::BuildRequest request;
    request.project = loaded.project.name;
    request.labels = apply::extra_labels();
    request.jobs = 2;
    for (const auto& op : builds.operations) {
      if (op.kind != plan::OpKind::build_image)
        continue;
      if (!services.count(op.service) &&
          engine.find_image(images::service_tag(loaded.project.name, op.service)))
        continue; // a parent that exists already
      log::notice("image {} does not exist: building it",
                  images::service_tag(loaded.project.name, op.service));
      request.services.push_back({op.service, op.context_dir, {}});
    }
    images::build_services(engine, request);
  }
  return true;
}

void print_notices(const plan::Plan& plan) {
  for (const auto& n : plan.notices)
    log::notice("{}", n);
  for (const auto& w : plan.warnings)
    log::warning("{}", w);
}

std::string observed_dns_server(const LoadedProject& loaded) {
  for (const auto& c : loaded.observed.containers)
    if (apply::label_of(c, project::k_label_service) == "dockerops-dns" && c.state == "running")
      return c.ip;
  return "";
}

apply::ApplyResult execute(Context& context, const plan::Plan& plan, const LoadedProject& loaded,
                           std::string dns_server, int stop_timeout) {
  auto faults = apply::FaultInjector::from_environment();
  apply::ApplyOptions options;
  // 8: the daemon still gains from 8 creates in flight on 2 cores (bench/run: 15-20 % over 4);
  // compose 1.29 allows 64.
  options.jobs = context.options().jobs > 0 ? context.options().jobs : 8;
  if (options.jobs == 1)
    options.waiting_jobs = 0; // --jobs 1: strictly one operation at a time
  options.extra_labels = apply::extra_labels();
  options.faults = &faults;
  options.stop_timeout = stop_timeout;
  for (const auto& c : loaded.observed.containers)
    options.display_names[c.name] =
        apply::label_of(c, project::k_label_service) + "/" + apply::label_of(c, project::k_label_instance);
  if (dns_server.empty())
    dns_server = observed_dns_server(loaded);
  std::unique_ptr<apply::Registrar> registrar;
  bool dns_ops = false;
  for (const auto& op : plan.operations)
    dns_ops = dns_ops || op.kind == plan::OpKind::dns_register || op.kind == plan::OpKind::dns_deregister;
  if (dns_ops && !dns_server.empty()) {
    registrar = apply::make_dns_registrar(loaded.project.dir, loaded.project.name);
    options.registrar = registrar.get();
    options.dns_server = dns_server;
  }
  return apply::apply_plan(context.engine(), plan, options);
}

std::optional<apply::ApplyResult> apply_or_print(Context& context, const plan::Plan& plan,
                                                 const LoadedProject& loaded, std::string dns_server,
                                                 int stop_timeout) {
  if (context.options().dry_run) {
    print(plan.to_string());
    return std::nullopt;
  }
  print_notices(plan);
  return execute(context, plan, loaded, std::move(dns_server), stop_timeout);
}

std::string planned_dns_server(const project::ResolvedProject& resolved) {
  for (const auto& r : resolved.instances)
    if (r.is_dns)
      return r.ipv4_address;
  return "";
}

} // namespace dockerops::cli
