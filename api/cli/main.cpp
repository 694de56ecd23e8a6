// suiji: the command-line composition root. Subcommands live in cmd_*.cpp (see command.h).
#include <algorithm>
#include <iostream>
#include <vector>

#include "api/cli/command.h"

namespace suiji::cli {
namespace {
std::vector<std::pair<int, CommandSetup>>& Registry() {
  static std::vector<std::pair<int, CommandSetup>> r;
  return r;
}
}  // namespace

bool RegisterCommand(int order, CommandSetup setup) {
  Registry().emplace_back(order, std::move(setup));
  return true;
}

}  // namespace suiji::cli

int main(int argc, char** argv) {
  using namespace suiji::cli;
  CLI::App app{"suiji (随机): auditable double-random market supervision"};
  app.require_subcommand(1);
  app.fallthrough();  // --db may follow the subcommand
  Globals globals;
  app.add_option("--db", globals.db_url, "database URL: sqlite:PATH (default sqlite:suiji.db) or postgresql://...")
      ->envname("SUIJI_DB");
  auto& reg = Registry();
  std::stable_sort(reg.begin(), reg.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [order, setup] : reg) setup(app, globals);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const CliExit& e) {
    return e.code;
  } catch (const std::exception& e) {
    std::cerr << "suiji: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
