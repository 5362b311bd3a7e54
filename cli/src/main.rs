//! `pomp`: the command-line front end.
//!
//! - `pomp run -n N -- PROG` — one OpenMP program across N local nodes.
//! - `pomp cc ...` — build a program for `pomp run`.
//! - `pomp info` — what a program run now would get: the library, the CPUs,
//!   the ICVs from the environment.
//! - `pomp alias DIR` — makes `DIR/libgomp.so.1` resolve to pomp, so that an
//!   existing binary runs on pomp with `LD_LIBRARY_PATH=DIR`.
//! - `pomp bench micro ...` — construct overheads on libgomp, libomp, pomp.
//! - `pomp bench npb ...` — NAS Parallel Benchmark kernels on each runtime.

mod bench_micro;
mod bench_npb;
mod common;
mod load;
mod run;
mod runtimes;

use std::process::ExitCode;

const USAGE: &str = "\
usage: pomp <command> [options]

commands:
  run [-n N] -- PROG   run PROG as one OpenMP program on N nodes (local,
                       --hosts over ssh, or a Slurm allocation);
                       `pomp run --help`
  cc ARGS...           gcc -fopenmp -Wl,-z,now ARGS: build for `pomp run`
  info [RUN OPTIONS]   the runtime pomp would use, what `pomp run` with
                       these options would use (nodes, threads per node,
                       window, transport), and the ICVs
  alias DIR            create DIR/libgomp.so.1 -> libpomp.so (then run a
                       program with LD_LIBRARY_PATH=DIR)
  bench micro [...]    construct-overhead microbenchmarks (EPCC method) on
                       libgomp, libomp and pomp; `pomp bench micro --help`
  bench npb [...]      NAS Parallel Benchmark kernels on each runtime;
                       `pomp bench npb --help`
  help                 this text
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            Ok(())
        }
        Some("info") => info(&args[1..]),
        Some("run") => match run::main(&args[1..]) {
            Ok(code) => return ExitCode::from(code.clamp(0, 255) as u8),
            Err(e) => Err(e),
        },
        Some("cc") => match run::cc(&args[1..]) {
            Ok(code) => return ExitCode::from(code.clamp(0, 255) as u8),
            Err(e) => Err(e),
        },
        Some("alias") => alias(&args[1..]),
        Some("bench") => match args.get(1).map(String::as_str) {
            Some("micro") => bench_micro::main(&args[2..]),
            Some("npb") => bench_npb::main(&args[2..]),
            Some("help" | "-h" | "--help") => {
                print!("{USAGE}");
                Ok(())
            }
            Some(other) => Err(format!("unknown benchmark '{other}'; valid: micro, npb")),
            None => Err("pomp bench needs a benchmark: micro or npb".into()),
        },
        Some(other) => Err(format!(
            "unknown command '{other}'; valid: info, alias, bench, help"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pomp: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `pomp info [pomp run's options]`: the library, what a run with those
/// options would use (nodes, threads per node, window, transport), and the
/// ICVs.
fn info(args: &[String]) -> Result<(), String> {
    let plan = run::plan(args)?;
    let lib = common::libpomp()?;
    println!("pomp {}", env!("CARGO_PKG_VERSION"));
    println!("library:   {}", lib.display());
    for l in plan {
        println!("{l}");
    }
    let dsm = pomp_dsm::Config::from_env();
    println!(
        "window:    {:#x} + {} MiB (POMP_DSM_BASE, POMP_DSM_SIZE)",
        dsm.base,
        dsm.size >> 20
    );
    println!("transport: TCP, authenticated with a per-job secret (pomp run makes it)");
    println!(
        "cpus:      {}",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    // The library itself reports the ICVs, exactly as a program would see
    // them: run a trivial program on it with OMP_DISPLAY_ENV=verbose.
    print!("{}", common::display_env());
    Ok(())
}

fn alias(args: &[String]) -> Result<(), String> {
    let [dir] = args else {
        return Err("usage: pomp alias DIR".into());
    };
    let lib = common::libpomp()?;
    let dir = std::path::Path::new(dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let link = dir.join("libgomp.so.1");
    if link.symlink_metadata().is_ok() {
        std::fs::remove_file(&link)
            .map_err(|e| format!("cannot replace {}: {e}", link.display()))?;
    }
    let target = std::fs::canonicalize(&lib).map_err(|e| e.to_string())?;
    std::os::unix::fs::symlink(&target, &link)
        .map_err(|e| format!("cannot create {}: {e}", link.display()))?;
    println!("{} -> {}", link.display(), target.display());
    println!(
        "run programs on pomp with: LD_LIBRARY_PATH={} ./prog",
        std::fs::canonicalize(dir)
            .unwrap_or(dir.to_path_buf())
            .display()
    );
    Ok(())
}
