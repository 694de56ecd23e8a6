// suiji verify BUNDLE [--head H]: recomputes a draw bundle offline (no database) and prints MATCH, or
// the first difference. With --head (a draw head as published: the public draw answer's draw_head.head,
// the bulk manifest's draw_heads), the bundle's audit events must give exactly that head, so a dropped,
// added or rewritten draw event (a substitution removed with its event) is a difference. Exit 0 on
// MATCH, 1 otherwise.
#include <iostream>
#include <thread>

#include "api/cli/command.h"
#include "sampler/bundle.h"

SUIJI_COMMAND(40) {
  auto* cmd = app.add_subcommand("verify", "recompute a draw bundle and report MATCH or the first difference");
  auto dir = std::make_shared<std::string>();
  auto head = std::make_shared<std::string>();
  auto threads = std::make_shared<unsigned>(std::max(1u, std::thread::hardware_concurrency()));
  cmd->add_option("bundle", *dir, "the bundle directory (bundle.json, commitments, CSV lists, audit events)")->required();
  cmd->add_option("--head", *head,
                  "a published draw head (64 hex: draw_head.head of GET /api/v1/public/draws/{id} or the bulk manifest): "
                  "the bundle's draw events must give exactly it");
  cmd->add_option("--threads", *threads, "threads for the ticket computation")->check(CLI::Range(1u, 256u));
  cmd->callback([dir, head, threads] {
    auto report = suiji::sampler::VerifyBundle(*dir, *threads, *head);
    for (const auto& line : report.checked) std::cout << "recomputed: " << line << "\n";
    if (report.match) {
      for (const auto& line : report.notes) std::cout << "note: " << line << "\n";
      std::cout << "MATCH\n";
      return;
    }
    std::cout << "DIFFERENCE: " << report.difference << "\n";
    throw suiji::cli::CliExit{1};
  });
}
