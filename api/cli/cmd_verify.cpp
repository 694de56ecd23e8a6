// suiji verify BUNDLE: recomputes a draw bundle offline (no database) and prints MATCH, or the
// first difference. Exit 0 on MATCH, 1 otherwise.
#include <iostream>
#include <thread>

#include "api/cli/command.h"
#include "sampler/bundle.h"

SUIJI_COMMAND(40) {
  auto* cmd = app.add_subcommand("verify", "recompute a draw bundle and report MATCH or the first difference");
  auto dir = std::make_shared<std::string>();
  auto threads = std::make_shared<unsigned>(std::max(1u, std::thread::hardware_concurrency()));
  cmd->add_option("bundle", *dir, "the bundle directory (bundle.json, commitments, CSV lists)")->required();
  cmd->add_option("--threads", *threads, "threads for the ticket computation")->check(CLI::Range(1u, 256u));
  cmd->callback([dir, threads] {
    auto report = suiji::sampler::VerifyBundle(*dir, *threads);
    for (const auto& line : report.checked) std::cout << "recomputed: " << line << "\n";
    if (report.match) {
      std::cout << "MATCH\n";
      return;
    }
    std::cout << "DIFFERENCE: " << report.difference << "\n";
    throw suiji::cli::CliExit{1};
  });
}
