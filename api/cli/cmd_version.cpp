// suiji version: prints the version and the draw protocol it implements.
#include <iostream>

#include "api/cli/command.h"
#include "core/version.h"

SUIJI_COMMAND(99) {
  auto* cmd = app.add_subcommand("version", "print the suiji version");
  cmd->callback([] { std::cout << "suiji " << suiji::kVersion << "\n"; });
}
