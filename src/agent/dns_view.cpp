#include "agent/dns_view.hpp"

#include "apply/project_files.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "dns/client/update_client.hpp"
#include "dns/proto/key_file.hpp"
#include "dns/proto/record_text.hpp"
#include "project/model.hpp"

namespace dockerops::agent {

DnsRecord dns_record_from_text(const std::string& text) {
  auto parts = strings::split(text, '\t');
  DnsRecord record;
  if (parts.size() < 5)
    return record;
  record.name = parts[0];
  record.ttl = static_cast<std::uint32_t>(std::strtoul(parts[1].c_str(), nullptr, 10));
  record.type = parts[3];
  std::vector<std::string> rest(parts.begin() + 4, parts.end());
  record.data = strings::join(rest, "\t");
  return record;
}

DnsView read_dns(const std::string& server, const std::filesystem::path& project_dir) {
  DnsView view;
  view.server = server;
  if (server.empty())
    return view;
  try {
    dns::ClientOptions options;
    options.server_ip = server;
    options.connect_timeout = std::chrono::milliseconds(1000);
    options.reply_timeout = std::chrono::milliseconds(2000);
    options.attempts = 1;
    std::string zone = std::string(project::k_zone) + ".";
    dns::UpdateClient client(options, dns::read_key_file(apply::dns_key_path(project_dir)).front(), zone);
    for (const std::string& z : {zone, dns::reverse_zone_24(server)})
      for (const dns::Record& rr : client.transfer(z))
        view.records.push_back(dns_record_from_text(dns::record_to_text(rr)));
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::interrupted)
      throw;
    view.records.clear();
    view.error = e.what();
  }
  return view;
}

} // namespace dockerops::agent
