//! `daraja-score`: scores value tables against a methodology file, checks
//! and compares methodology files, and runs the neutral benchmark workload.
//!
//! Every error names the file, the line and the field, and exits with code
//! 2; success exits 0.

use std::process::ExitCode;

use daraja_cli::{InputError, bench, run};

const USAGE: &str = "\
daraja-score — Daraja's methodology engine on the command line

USAGE:
  daraja-score run --methodology FILE --values FILE [--entities FILE]
                   [--previous FILE] [--draws N] [--seed N]
                   [--normalisation-spread S] --out FILE
      Score values (CSV: entity,indicator,value) against a methodology
      (TOML). --entities gives entity,kind[,peer_group] (default: the
      methodology's first kind). --previous gives last period's values for
      carry-forward and change. Rank intervals come from N seeded Monte Carlo
      draws of the domain weights (default 1,000); with S > 0 each draw also
      moves every goalpost by up to S of its range. Writes CSV or JSON by the
      extension of --out.
  daraja-score check FILE...
      Validate methodology files; prints every problem with file and line.
  daraja-score diff OLD NEW
      What changed from methodology file OLD to NEW.
  daraja-score bench WORKLOAD_DIR OUT_CSV
      Score a workload of shared/bench/scoring (methodology.json,
      entities.csv, values.csv, draws.csv) and write results.csv exactly as
      its README specifies.

Exit codes: 0 success, 1 usage, 2 bad input.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run::main(&args[1..]),
        Some("bench") => match &args[1..] {
            [dir, out] => bench::main(dir.as_ref(), out.as_ref()),
            _ => return usage(),
        },
        Some("check") if args.len() > 1 => run::check(&args[1..]),
        Some("diff") => match &args[1..] {
            [old, new] => run::diff(old, new),
            _ => return usage(),
        },
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(InputError::Usage(msg)) => {
            eprintln!("error: {msg}\n\n{USAGE}");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(1)
}
