// suiji gen: writes synthetic registers (entities.csv, officers.csv, items.csv) in the import formats.
// Deterministic for --seed; streams, so --entities 1000000 needs no more memory than --entities 10.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "api/cli/command.h"
#include "data/gen/messy.h"
#include "data/gen/registers.h"

SUIJI_COMMAND(20) {
  struct Opts {
    suiji::gen::GenOptions gen;
    std::string out = ".";
    bool messy = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("gen", "write synthetic registers (entities.csv, officers.csv, items.csv)");
  cmd->add_option("--seed", o->gen.seed, "random seed (same seed, same files)")->required();
  cmd->add_option("--entities", o->gen.entities, "number of entities")->check(CLI::NonNegativeNumber);
  cmd->add_option("--officers", o->gen.officers, "number of officers")->check(CLI::NonNegativeNumber);
  cmd->add_option("--items", o->gen.items, "number of inspection items")->check(CLI::NonNegativeNumber);
  cmd->add_option("--province", o->gen.province, "2-digit province code of every region (default 51, Sichuan)");
  cmd->add_option("--out", o->out, "output folder (created if missing)");
  cmd->add_flag("--bom", o->gen.bom, "start files with a UTF-8 BOM so Excel opens them as UTF-8");
  cmd->add_flag("--messy", o->messy,
                "also write entities_messy.csv and entities_messy_gbk.csv: registers with known defects");
  cmd->callback([o] {
    namespace fs = std::filesystem;
    auto regions = suiji::RegionTable::LoadDefault();
    if (!regions.ok()) {
      std::cerr << "suiji gen: " << regions.error().message << "\n";
      throw suiji::cli::CliExit{1};
    }
    std::error_code ec;
    fs::create_directories(o->out, ec);
    if (ec) {
      std::cerr << "suiji gen: cannot create " << o->out << ": " << ec.message() << "\n";
      throw suiji::cli::CliExit{1};
    }
    const fs::path dir(o->out);
    std::ofstream ent(dir / "entities.csv", std::ios::binary), off(dir / "officers.csv", std::ios::binary),
        items(dir / "items.csv", std::ios::binary);
    if (!ent || !off || !items) {
      std::cerr << "suiji gen: cannot write into " << o->out << "\n";
      throw suiji::cli::CliExit{1};
    }
    auto s = suiji::gen::GenerateRegisters(o->gen, regions.value(), ent, off, items);
    if (!s.ok()) {
      std::cerr << "suiji gen: " << s.error().message << "\n";
      throw suiji::cli::CliExit{1};
    }
    ent.close();
    off.close();
    items.close();
    if (!ent || !off || !items) {
      std::cerr << "suiji gen: writing failed (disk full?)\n";
      throw suiji::cli::CliExit{1};
    }
    const auto& v = s.value();
    std::cout << "wrote " << (dir / "entities.csv").string() << ": " << v.entities << " entities (" << v.uscc
              << " USCC, " << v.regno << " registration numbers, " << v.legacy << " legacy; " << v.deregistered
              << " deregistered, " << v.revoked << " revoked) over " << v.counties.size() << " counties\n"
              << "wrote " << (dir / "officers.csv").string() << ": " << v.officers << " officers ("
              << v.officers_with_conflicts << " with declared conflicts)\n"
              << "wrote " << (dir / "items.csv").string() << ": " << v.items << " inspection items\n";
    if (o->messy) {
      for (auto enc : {suiji::import::Encoding::kUtf8, suiji::import::Encoding::kGb18030}) {
        suiji::gen::MessyOptions mo;
        mo.seed = o->gen.seed;
        mo.province = o->gen.province;
        mo.encoding = enc;
        auto name = enc == suiji::import::Encoding::kUtf8 ? "entities_messy.csv" : "entities_messy_gbk.csv";
        std::ofstream m(dir / name, std::ios::binary);
        auto x = suiji::gen::WriteMessyEntities(mo, regions.value(), m);
        if (!x.ok()) {
          std::cerr << "suiji gen: " << x.error().message << "\n";
          throw suiji::cli::CliExit{1};
        }
        std::cout << "wrote " << (dir / name).string() << ": " << x.value().rows_read << " rows, "
                  << x.value().rows_rejected << " of them defective on purpose\n";
      }
    }
  });
}
