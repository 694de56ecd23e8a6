// The suiji CLI is one binary; each cmd_*.cpp file adds its subcommands through SUIJI_COMMAND, so
// adding a command never edits a shared file. Commands are thin: parse options, call the parts, print.
//
// Contract for a command's callback: print results to stdout, errors to stderr, and signal failure
// by throwing CliExit{code} (1 = the input or state was refused, 2 = usage).
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace suiji::cli {

struct Globals {
  std::string db_url = "sqlite:suiji.db";  // --db URL: sqlite:PATH or postgresql://...
};

struct CliExit {
  int code;
};

using CommandSetup = std::function<void(CLI::App& app, Globals& globals)>;

// Called from static initialisers; `order` sorts the help listing.
bool RegisterCommand(int order, CommandSetup setup);

}  // namespace suiji::cli

#define SUIJI_CONCAT2(a, b) a##b
#define SUIJI_CONCAT(a, b) SUIJI_CONCAT2(a, b)
// SUIJI_COMMAND(order) { ... body using `app` and `globals` ... }
#define SUIJI_COMMAND(order)                                                                   \
  static void SUIJI_CONCAT(suiji_cmd_, __LINE__)(CLI::App & app, ::suiji::cli::Globals & globals); \
  static const bool SUIJI_CONCAT(suiji_cmd_reg_, __LINE__) =                                   \
      ::suiji::cli::RegisterCommand(order, &SUIJI_CONCAT(suiji_cmd_, __LINE__));               \
  static void SUIJI_CONCAT(suiji_cmd_, __LINE__)([[maybe_unused]] CLI::App & app,              \
                                                 [[maybe_unused]] ::suiji::cli::Globals & globals)
