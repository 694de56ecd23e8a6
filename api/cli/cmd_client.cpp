// suiji client add | list | revoke: the Thrift service's clients (table api_clients).
//   add ID --department D --scopes read_public,read_class,push
//        -> prints the token ONCE (only its SHA-256 is stored) and the client's line
//   list -> one line per client: id, department, scopes, created, revoked (never a token or its hash)
//   revoke ID -> the token stops working within the server's refresh interval (1 s)
// Every change is an audit event (api_client.add / api_client.revoke).
#include <iostream>

#include "api/app/rpc_backend.h"
#include "api/cli/command.h"
#include "api/cli/support.h"

namespace {

struct ClientArgs {
  std::string id, department, scopes = "read_public", actor = "cli";
  std::string role = "integration", org_unit, officer, expires;
};

}  // namespace

SUIJI_COMMAND(72) {
  auto* client = app.add_subcommand("client", "manage API clients (Thrift and REST), their roles and tokens");
  client->require_subcommand(1);
  auto args = std::make_shared<ClientArgs>();

  auto* add = client->add_subcommand("add", "register a client and print its token once");
  add->add_option("id", args->id, "client id, e.g. tax-sichuan (letters, digits, . _ -)")->required();
  add->add_option("--department", args->department, "the client's department, e.g. TAX")->required();
  add->add_option("--scopes", args->scopes, "comma-separated: read_public, read_class, push (default read_public)");
  add->add_option("--role", args->role,
                  "REST role: admin, planner, officer, reviewer, auditor, integration (default integration)");
  add->add_option("--org-unit", args->org_unit, "the org unit the client acts for (default: all units)");
  add->add_option("--officer", args->officer, "role officer: the officer's certificate number");
  add->add_option("--expires", args->expires, "when the token stops working, YYYY-MM-DD[THH:MM:SSZ] (default never)");
  add->add_option("--actor", args->actor, "who is acting, for the audit log (default cli)");
  add->callback([&globals, args] {
    auto db = suiji::cli::OpenDb(globals, "client add");
    suiji::app::ApiClientSpec spec{args->id, args->department, args->scopes, args->role, args->org_unit,
                                   args->officer, args->expires};
    auto c = suiji::cli::Must("client add", suiji::app::AddApiClient(*db, spec, args->actor));
    std::cout << "client " << c.record.client_id << " added: department " << c.record.department << ", scopes "
              << c.record.scopes << ", role " << c.record.role
              << (c.record.org_unit.empty() ? "" : ", org unit " + c.record.org_unit)
              << (c.record.officer.empty() ? "" : ", officer " + c.record.officer)
              << (c.record.expires_at.empty() ? "" : ", expires " + c.record.expires_at) << "\n"
              << "token (shown once, store it now): " << c.token << "\n";
  });

  auto* list = client->add_subcommand("list", "list clients (never shows tokens)");
  list->callback([&globals] {
    auto db = suiji::cli::OpenDb(globals, "client list");
    auto rows = suiji::cli::Must("client list", suiji::store::ListClients(*db));
    std::cout << "client_id\tdepartment\tscopes\trole\torg_unit\tcreated_at\trevoked_at\n";
    for (const auto& c : rows)
      std::cout << c.client_id << "\t" << c.department << "\t" << c.scopes << "\t" << c.role << "\t"
                << (c.org_unit.empty() ? "-" : c.org_unit) << "\t" << c.created_at << "\t"
                << (c.revoked_at.empty() ? "-" : c.revoked_at) << "\n";
  });

  auto* revoke = client->add_subcommand("revoke", "revoke a client's token (the id is never reused)");
  revoke->add_option("id", args->id, "client id")->required();
  revoke->add_option("--actor", args->actor, "who is acting, for the audit log (default cli)");
  revoke->callback([&globals, args] {
    auto db = suiji::cli::OpenDb(globals, "client revoke");
    auto c = suiji::cli::Must("client revoke", suiji::app::RevokeApiClient(*db, args->id, args->actor));
    std::cout << "client " << c.client_id << " revoked at " << c.revoked_at << "\n";
  });
}
