//! `pomp bench micro`: construct-overhead microbenchmarks (EPCC method) on
//! several OpenMP runtimes, compared side by side.
//!
//! The C benchmark `benches/micro/syncbench.c` is compiled once with
//! `gcc -O2 -fopenmp` into `target/bench-micro/syncbench` (again whenever a
//! source under `benches/micro/` is newer, or the compile command changed).
//! The same binary then runs on each runtime in turn (see `runtimes.rs`):
//!
//! - `libgomp`: the system libgomp.so.1, the one the binary was linked
//!   against: run with `LD_LIBRARY_PATH`/`LD_PRELOAD` removed.
//! - `libomp`: LLVM's libomp.so.5 (Debian's libomp5-14), which exports the
//!   `GOMP_*` entry points under libgomp's version nodes; run through an
//!   alias directory `target/bench-micro/rt-libomp/libgomp.so.1 -> libomp.so.5`
//!   put first on `LD_LIBRARY_PATH`.
//! - `pomp`: `$POMP_LIB`, else `libpomp.so` next to the running executable,
//!   through `target/bench-micro/rt-pomp/libgomp.so.1` the same way.
//!
//! The benchmark reports on stderr which library it really loaded; a run that
//! loaded another runtime than the one asked for is an error, so a broken
//! alias can never pass one runtime's numbers off as another's.
//!
//! Repetitions interleave the runtimes so that drifts of a noisy machine hit
//! them alike. By default (`--interleave construct`) each construct runs on
//! every runtime in turn, one process per construct, before the next
//! construct: the runs a ratio pairs are a fraction of a second apart, where
//! whole runs over every construct are seconds apart and a VM that switches
//! between a fast and a slow state every few minutes often switches between
//! them. Rounds alternate the runtimes' order (libgomp, libomp, pomp, then
//! pomp, libomp, libgomp), so that none always runs first after another's
//! process. `--interleave run` runs every construct in one process per
//! runtime instead (libgomp, libomp, pomp, libgomp, ...), which measures a
//! construct after the others have warmed the runtime up. Each run prints,
//! per construct, the median over its outer repetitions; the table shows for each
//! runtime the median of those run medians and their spread, the quartiles
//! q1..q3 of the run medians (with a single run: of its outer repetitions).
//! Quartiles rather than min..max: on a busy machine one run in ten can hit a
//! stall worth a scheduler tick per construct, and must not swamp the spread.
//!
//! A construct that fails (crash, wrong result, time-out) costs only its own
//! row (a whole run that fails is retried one construct at a time): it shows
//! as `FAILED` and is left out of later repetitions of that runtime; after
//! three constructs in a row fail, the runtime is given up on.
//!
//! std only: this module must not pull in any crate.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant, SystemTime};

use crate::load::{cpu_snap, foreign_cpus, run_child, ChildOutput};
use crate::runtimes::{self, mtime, repo_root, RUNTIMES};

const USAGE: &str = "\
usage: pomp bench micro [options]

Construct-overhead microbenchmarks (EPCC method) of the C program
benches/micro/syncbench.c, run on each OpenMP runtime in turn.

options:
  --threads N            team size (OMP_NUM_THREADS); default: the CPUs available
  --runtimes a,b,...     runtimes to compare, in this order; default:
                         libgomp,libomp,pomp. LABEL=PATH adds another
                         libgomp-ABI library (e.g. pomp built from another
                         commit) under LABEL, with a pomp/LABEL ratio
  --repeat N             runs of the benchmark per runtime, interleaved
                         (default 10)
  --interleave HOW       construct (default): each construct runs on every
                         runtime in turn, one process each, before the next;
                         run: each runtime runs every construct in one process
  --constructs a,b,...   constructs to measure (default: all)
  --csv FILE             also write the table as CSV to FILE
  --outer N              outer repetitions inside one run (default 20)
  --target-us T          target time of one measurement, us (default 1000)
  --delay-us D           length of the delay around which constructs are
                         timed, us (default 0.1)
  --iters-per-thread K   loop iterations per thread, schedule rows (default 128)
  --timeout SECS         give up on one run after SECS seconds (default: 20 +
                         5 per construct, more for long settings)
  --busy N               keep N threads of this process busy (a loop that
                         never sleeps) during the runs: the constructs' cost
                         when other load wants the CPUs (default 0)
  --wait-quiet SECS      before each run, wait up to SECS seconds for other
                         processes to leave the CPUs idle (default 0: don't)
  --list                 list the constructs and exit
  -h, --help             this text

pomp is libpomp.so next to this executable, or $POMP_LIB.
Overheads are in microseconds per construct (per loop for schedule rows).
";

/// A run during which other processes (or the hypervisor) kept at least this
/// many CPUs busy on average is "disturbed": on a machine with no spare CPU,
/// spinning runtimes then lose whole scheduler ticks per construct.
const DISTURBED_CPUS: f64 = 0.1;

/// Ratios whose denominator is below this many microseconds are noise: not
/// printed.
const RATIO_FLOOR_US: f64 = 0.01;

/// What one process of the benchmark measures: see the module's comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Interleave {
    /// One construct per process, every runtime in turn.
    Construct,
    /// Every construct in one process per runtime.
    Run,
}

#[derive(Debug)]
struct Options {
    threads: usize,
    runtimes: Vec<String>,
    repeat: usize,
    interleave: Interleave,
    constructs: Option<Vec<String>>,
    csv: Option<PathBuf>,
    outer: Option<u64>,
    target_us: Option<f64>,
    delay_us: Option<f64>,
    iters_per_thread: Option<u64>,
    timeout: Option<Duration>,
    wait_quiet: Duration,
    busy: usize,
    list: bool,
}

/// One construct's line of one run.
#[derive(Debug, Clone, Copy)]
struct Sample {
    median: f64,
    q1: f64,
    q3: f64,
    /// Other load during the run: see [`DISTURBED_CPUS`].
    disturbed: bool,
    /// The repetition (round of runtimes) it came from, from 1.
    round: usize,
}

/// A runtime that will be run, and what its runs gave.
#[derive(Debug)]
struct Runtime {
    base: runtimes::Runtime,
    /// Constructs that failed on this runtime: not run again.
    failed: Vec<String>,
    /// Set when the runtime cannot run at all (loader error, wrong library).
    disabled: Option<String>,
    /// construct -> one sample per successful run.
    samples: HashMap<String, Vec<Sample>>,
    /// Constructs that failed one after the other, run one per process.
    failed_in_a_row: usize,
}

/// What one round gave a runtime, run one construct per process.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    ok: usize,
    disturbed: usize,
    failed: usize,
    secs: f64,
}

/// Entry point of `pomp bench micro`; `args` are the arguments after
/// `bench micro` (a leading `micro` is skipped too).
pub fn main(args: &[String]) -> Result<(), String> {
    let args = match args.first().map(String::as_str) {
        Some("micro") => &args[1..],
        _ => args,
    };
    let Some(opts) = parse_args(args)? else {
        print!("{USAGE}");
        return Ok(());
    };

    let root = repo_root()?;
    let out_dir = root.join("target").join("bench-micro");
    let binary = build(&root, &out_dir)?;
    let all_constructs = list_constructs(&binary)?;
    if opts.list {
        for c in &all_constructs {
            println!("{c}");
        }
        return Ok(());
    }
    let constructs = match &opts.constructs {
        None => all_constructs.clone(),
        Some(wanted) => {
            for w in wanted {
                if !all_constructs.contains(w) {
                    return Err(format!(
                        "unknown construct '{w}'; valid: {}",
                        all_constructs.join(", ")
                    ));
                }
            }
            // Keep the benchmark's order: it is the table's.
            all_constructs
                .iter()
                .filter(|c| wanted.contains(c))
                .cloned()
                .collect()
        }
    };

    let mut runtimes = Vec::new();
    for name in &opts.runtimes {
        match runtimes::Runtime::locate(name, &out_dir) {
            Ok(base) => runtimes.push(Runtime {
                base,
                failed: Vec::new(),
                disabled: None,
                samples: HashMap::new(),
                failed_in_a_row: 0,
            }),
            Err(why) => eprintln!("bench micro: skipping {name}: {why}"),
        }
    }
    if runtimes.is_empty() {
        return Err("no runtime to benchmark (all were skipped)".into());
    }

    eprintln!(
        "bench micro: {} on {} thread(s), {} run(s) per runtime and construct; binary {}",
        runtimes
            .iter()
            .map(|r| format!("{} ({})", r.base.name, r.base.lib.display()))
            .collect::<Vec<_>>()
            .join(", "),
        opts.threads,
        opts.repeat,
        binary.display()
    );

    let before = cpu_snap();
    std::thread::sleep(Duration::from_millis(300));
    if let Some(busy) = before.zip(cpu_snap()).and_then(|(a, b)| foreign_cpus(a, b)) {
        if busy >= DISTURBED_CPUS {
            eprintln!(
                "bench micro: warning: the machine is busy ({busy:.2} CPUs in use by other \
                 processes); runs disturbed by other load are left out of the table"
            );
        }
    }

    let load = Busy::start(opts.busy);
    let started = Instant::now();
    match opts.interleave {
        Interleave::Construct => rounds_by_construct(&binary, &opts, &mut runtimes, &constructs)?,
        Interleave::Run => rounds_by_run(&binary, &opts, &mut runtimes, &constructs)?,
    }
    drop(load);
    eprintln!(
        "bench micro: done in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let table = Table::new(&constructs, &runtimes, &opts);
    print!("{}", table.render());
    if let Some(path) = &opts.csv {
        std::fs::write(path, table.csv())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        eprintln!("bench micro: wrote {}", path.display());
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

/// The options, or None for `--help`.
fn parse_args(args: &[String]) -> Result<Option<Options>, String> {
    let mut o = Options {
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        runtimes: RUNTIMES.iter().map(|s| s.to_string()).collect(),
        repeat: 10,
        interleave: Interleave::Construct,
        constructs: None,
        csv: None,
        outer: None,
        target_us: None,
        delay_us: None,
        iters_per_thread: None,
        timeout: None,
        wait_quiet: Duration::ZERO,
        busy: 0,
        list: false,
    };
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg, None),
        };
        // The value of a flag that takes one: `--flag=V` or `--flag V`.
        let mut value = || -> Result<String, String> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            i += 1;
            args.get(i)
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag {
            "-h" | "--help" => return Ok(None),
            "--list" => o.list = true,
            "--threads" => o.threads = parse_count(flag, &value()?)? as usize,
            "--repeat" => o.repeat = parse_count(flag, &value()?)? as usize,
            "--busy" => {
                let v = value()?;
                o.busy = v
                    .parse()
                    .map_err(|_| format!("bad value '{v}' for --busy (need an integer >= 0)"))?;
            }
            "--interleave" => {
                o.interleave = match value()?.as_str() {
                    "construct" => Interleave::Construct,
                    "run" => Interleave::Run,
                    v => {
                        return Err(format!(
                            "bad value '{v}' for --interleave (construct or run)"
                        ))
                    }
                }
            }
            "--outer" => o.outer = Some(parse_count(flag, &value()?)?),
            "--iters-per-thread" => o.iters_per_thread = Some(parse_count(flag, &value()?)?),
            "--target-us" => o.target_us = Some(parse_positive(flag, &value()?)?),
            "--delay-us" => {
                let v = value()?;
                let d: f64 = v
                    .parse()
                    .ok()
                    .filter(|d: &f64| *d >= 0.0 && d.is_finite())
                    .ok_or_else(|| format!("bad value '{v}' for --delay-us"))?;
                o.delay_us = Some(d);
            }
            "--wait-quiet" => {
                let v = value()?;
                let d: f64 = v
                    .parse()
                    .ok()
                    .filter(|d: &f64| *d >= 0.0 && d.is_finite())
                    .ok_or_else(|| format!("bad value '{v}' for --wait-quiet"))?;
                o.wait_quiet = Duration::from_secs_f64(d);
            }
            "--timeout" => {
                o.timeout = Some(Duration::from_secs_f64(parse_positive(flag, &value()?)?))
            }
            "--csv" => o.csv = Some(PathBuf::from(value()?)),
            "--runtimes" => {
                let mut list = Vec::new();
                for name in split_list(&value()?) {
                    if !RUNTIMES.contains(&name.as_str())
                        && runtimes::parse_custom(&name)?.is_none()
                    {
                        return Err(format!(
                            "unknown runtime '{name}'; valid: {}, or LABEL=PATH",
                            RUNTIMES.join(", ")
                        ));
                    }
                    if !list.contains(&name) {
                        list.push(name);
                    }
                }
                if list.is_empty() {
                    return Err(format!(
                        "--runtimes needs at least one of: {}",
                        RUNTIMES.join(", ")
                    ));
                }
                o.runtimes = list;
            }
            "--constructs" => {
                let list = split_list(&value()?);
                if list.is_empty() {
                    return Err("--constructs needs at least one construct".into());
                }
                o.constructs = Some(list);
            }
            _ => {
                return Err(format!(
                    "unknown option '{arg}' for bench micro; see `pomp bench micro --help`"
                ))
            }
        }
        i += 1;
    }
    Ok(Some(o))
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}

fn parse_count(flag: &str, v: &str) -> Result<u64, String> {
    match v.parse::<u64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("bad value '{v}' for {flag} (need an integer >= 1)")),
    }
}

fn parse_positive(flag: &str, v: &str) -> Result<f64, String> {
    match v.parse::<f64>() {
        Ok(x) if x > 0.0 && x.is_finite() => Ok(x),
        _ => Err(format!("bad value '{v}' for {flag} (need a number > 0)")),
    }
}

/// Waits, for at most `limit`, until other processes have left the CPUs idle
/// for a quarter of a second.
fn wait_quiet(limit: Duration, tag: &str) {
    if limit.is_zero() {
        return;
    }
    let start = Instant::now();
    loop {
        let a = cpu_snap();
        std::thread::sleep(Duration::from_millis(250));
        let load = a.zip(cpu_snap()).and_then(|(a, b)| foreign_cpus(a, b));
        let waited = start.elapsed().as_secs_f64();
        match load {
            None => return,
            Some(f) if f < DISTURBED_CPUS => {
                if waited > 0.5 {
                    eprintln!("{tag}: waited {waited:.1} s for the machine to go quiet");
                }
                return;
            }
            Some(f) if start.elapsed() >= limit => {
                eprintln!("{tag}: machine still busy ({f:.2} CPUs) after {waited:.1} s; running");
                return;
            }
            Some(_) => {}
        }
    }
}

// ---------------------------------------------------------------------------
// Finding and building the benchmark
// ---------------------------------------------------------------------------

/// Compiles `benches/micro/*.c` into `out_dir/syncbench` unless it is up to
/// date; returns the binary.
fn build(root: &Path, out_dir: &Path) -> Result<PathBuf, String> {
    let src_dir = root.join("benches").join("micro");
    let mut sources = Vec::new();
    let mut newest_input = None::<SystemTime>;
    let entries = std::fs::read_dir(&src_dir)
        .map_err(|e| format!("cannot read {}: {e}", src_dir.display()))?;
    for entry in entries.flatten() {
        let p = entry.path();
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext == "c" || ext == "h" {
            if let Some(t) = mtime(&p) {
                newest_input = newest_input.max(Some(t));
            }
            if ext == "c" {
                sources.push(p);
            }
        }
    }
    sources.sort();
    if sources.is_empty() {
        return Err(format!("no C sources in {}", src_dir.display()));
    }
    std::fs::create_dir_all(out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;

    let binary = out_dir.join("syncbench");
    let tmp = out_dir.join("syncbench.tmp");
    let stamp = out_dir.join("syncbench.cmd");
    let mut cmd_args: Vec<String> = vec!["-O2".into(), "-fopenmp".into(), "-o".into()];
    cmd_args.push(tmp.display().to_string());
    cmd_args.extend(sources.iter().map(|s| s.display().to_string()));
    let cmd_text = format!("gcc {}\n", cmd_args.join(" "));

    let up_to_date = match (mtime(&binary), newest_input) {
        (Some(b), Some(s)) => {
            b >= s && std::fs::read_to_string(&stamp).is_ok_and(|t| t == cmd_text)
        }
        _ => false,
    };
    if up_to_date {
        return Ok(binary);
    }
    eprintln!("bench micro: compiling {}", binary.display());
    let out = Command::new("gcc")
        .args(&cmd_args)
        .output()
        .map_err(|e| format!("cannot run gcc (is it installed?): {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "compiling the benchmark failed ({}):\n{}",
            cmd_text.trim_end(),
            String::from_utf8_lossy(&out.stderr).trim_end()
        ));
    }
    std::fs::rename(&tmp, &binary)
        .map_err(|e| format!("cannot move {} into place: {e}", tmp.display()))?;
    std::fs::write(&stamp, &cmd_text)
        .map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(binary)
}

/// The construct names, from the benchmark itself (`--list`), in its order.
fn list_constructs(binary: &Path) -> Result<Vec<String>, String> {
    let out = Command::new(binary)
        .arg("--list")
        .env_remove("LD_PRELOAD")
        .env_remove("LD_LIBRARY_PATH")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} --list failed: {}",
            binary.display(),
            String::from_utf8_lossy(&out.stderr).trim_end()
        ));
    }
    let names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    if names.is_empty() {
        return Err(format!("{} --list printed no constructs", binary.display()));
    }
    Ok(names)
}

// ---------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------

/// What one execution of the benchmark gave.
type RunOutput = ChildOutput;

impl RunOutput {
    fn ok(&self) -> bool {
        self.status.is_some_and(|s| s.success())
    }

    fn disturbed(&self) -> bool {
        self.foreign.is_some_and(|f| f >= DISTURBED_CPUS)
    }

    /// `, disturbed: ...` for a progress line, or nothing.
    fn disturbance_note(&self) -> String {
        match self.foreign {
            Some(f) if f >= DISTURBED_CPUS => {
                format!(", disturbed: other processes used {f:.2} CPUs")
            }
            _ => String::new(),
        }
    }

    /// The runtime library the benchmark says it loaded.
    fn loaded_runtime(&self) -> Option<&str> {
        self.stderr
            .lines()
            .find_map(|l| l.strip_prefix("# runtime="))
            .map(str::trim)
    }

    fn describe_failure(&self) -> String {
        let how = match self.status {
            None => format!("timed out after {:.0} s", self.elapsed.as_secs_f64()),
            Some(s) => describe_status(s),
        };
        let tail: Vec<&str> = self
            .stderr
            .lines()
            .filter(|l| !l.starts_with("# "))
            .collect();
        let tail = &tail[tail.len().saturating_sub(3)..];
        if tail.is_empty() {
            how
        } else {
            format!("{how}: {}", tail.join(" | "))
        }
    }
}

fn describe_status(s: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (s.code(), s.signal()) {
        (Some(3), _) => "wrong results (exit 3)".into(),
        (Some(c), _) => format!("exit status {c}"),
        (None, Some(sig)) => format!("killed by signal {sig}"),
        _ => "failed".into(),
    }
}

/// The expected wall time of one run over `n` constructs, in seconds.
fn expected_secs(opts: &Options, n: usize) -> f64 {
    let outer = opts.outer.unwrap_or(20) as f64;
    let target = opts.target_us.unwrap_or(1000.0) * 1e-6;
    // reference + test per outer repetition, plus warm-up and calibration
    n as f64 * (2.0 * outer + 4.0) * target
}

fn timeout_for(opts: &Options, n: usize) -> Duration {
    // Generous: other load can make a spinning runtime lose a scheduler tick
    // per construct, stretching a 1 s run past 15 s.
    opts.timeout.unwrap_or_else(|| {
        Duration::from_secs_f64((20.0 * expected_secs(opts, n)).max(20.0 + 5.0 * n as f64))
    })
}

/// Runs the benchmark over `constructs` on `rt`.
fn execute(
    binary: &Path,
    opts: &Options,
    rt: &Runtime,
    constructs: &[String],
) -> Result<RunOutput, String> {
    let mut cmd = Command::new(binary);
    cmd.arg("--constructs").arg(constructs.join(","));
    if let Some(v) = opts.outer {
        cmd.arg("--outer").arg(v.to_string());
    }
    if let Some(v) = opts.target_us {
        cmd.arg("--target-us").arg(v.to_string());
    }
    if let Some(v) = opts.delay_us {
        cmd.arg("--delay-us").arg(v.to_string());
    }
    if let Some(v) = opts.iters_per_thread {
        cmd.arg("--iters-per-thread").arg(v.to_string());
    }
    cmd.env("OMP_NUM_THREADS", opts.threads.to_string());
    rt.base.apply(&mut cmd);
    run_child(cmd, timeout_for(opts, constructs.len()))
}

/// `construct=NAME key=value ...` lines -> samples.
fn parse_lines(stdout: &str) -> Vec<(String, Sample)> {
    let mut res = Vec::new();
    for line in stdout.lines() {
        let mut fields: HashMap<&str, &str> = HashMap::new();
        for kv in line.split_whitespace() {
            if let Some((k, v)) = kv.split_once('=') {
                fields.insert(k, v);
            }
        }
        let num = |k: &str| fields.get(k).and_then(|v| v.parse::<f64>().ok());
        if let (Some(name), Some(median), Some(q1), Some(q3)) = (
            fields.get("construct"),
            num("median_us"),
            num("q1_us"),
            num("q3_us"),
        ) {
            res.push((
                name.to_string(),
                Sample {
                    median,
                    q1,
                    q3,
                    disturbed: false,
                    round: 0,
                },
            ));
        }
    }
    res
}

/// Checks that the run really used `rt`'s library; Err says what it used.
fn check_runtime(rt: &Runtime, out: &RunOutput) -> Result<(), String> {
    let Some(loaded) = out.loaded_runtime() else {
        return Err(format!(
            "the benchmark did not start on it ({})",
            out.describe_failure()
        ));
    };
    rt.base.check_loaded(Path::new(loaded))
}

/// One repetition of the benchmark on `rt`; on failure, one construct at a
/// time to find the broken ones.
fn run_once(
    binary: &Path,
    opts: &Options,
    rt: &mut Runtime,
    constructs: &[String],
    rep: usize,
) -> Result<(), String> {
    let tag = format!("[{rep}/{}] {}", opts.repeat, rt.base.name);
    let out = execute(binary, opts, rt, constructs)?;
    if let Err(why) = check_runtime(rt, &out) {
        eprintln!("{tag}: disabled: {why}");
        rt.disabled = Some(why);
        return Ok(());
    }
    if out.ok() {
        let got = parse_lines(&out.stdout);
        let missing: Vec<&String> = constructs
            .iter()
            .filter(|c| !got.iter().any(|(n, _)| n == *c))
            .collect();
        if missing.is_empty() {
            let disturbed = out.disturbed();
            for (name, s) in got {
                rt.samples.entry(name).or_default().push(Sample {
                    disturbed,
                    round: rep,
                    ..s
                });
            }
            eprintln!(
                "{tag}: ok ({:.1} s){}",
                out.elapsed.as_secs_f64(),
                out.disturbance_note()
            );
            return Ok(());
        }
        eprintln!(
            "{tag}: no result for {}",
            missing
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    } else {
        eprintln!("{tag}: run failed: {}", out.describe_failure());
    }

    // Isolate: each construct alone.
    eprintln!("{tag}: retrying one construct at a time");
    rt.failed_in_a_row = 0;
    let mut tally = Tally::default();
    for c in constructs {
        run_construct(binary, opts, rt, c, rep, &mut tally)?;
    }
    eprintln!(
        "{tag}: {} construct(s) ok one at a time, {} disturbed by other load",
        tally.ok, tally.disturbed
    );
    Ok(())
}

/// `--interleave construct`: each round runs every construct on every
/// runtime in turn, one process each.
fn rounds_by_construct(
    binary: &Path,
    opts: &Options,
    runtimes: &mut [Runtime],
    constructs: &[String],
) -> Result<(), String> {
    for rep in 1..=opts.repeat {
        let order = round_order(runtimes.len(), rep);
        let mut tallies = vec![Tally::default(); runtimes.len()];
        for c in constructs {
            wait_quiet(opts.wait_quiet, &format!("[{rep}/{}] {c}", opts.repeat));
            for &i in &order {
                run_construct(binary, opts, &mut runtimes[i], c, rep, &mut tallies[i])?;
            }
        }
        for &i in &order {
            let (rt, t) = (&runtimes[i], tallies[i]);
            if t.ok + t.failed == 0 {
                continue;
            }
            let mut line = format!(
                "[{rep}/{}] {}: {} construct(s) ok ({:.1} s)",
                opts.repeat, rt.base.name, t.ok, t.secs
            );
            if t.disturbed > 0 {
                let _ = write!(line, ", {} disturbed by other load", t.disturbed);
            }
            if t.failed > 0 {
                let _ = write!(line, ", {} FAILED", t.failed);
            }
            eprintln!("{line}");
        }
    }
    Ok(())
}

/// `--interleave run`: each round runs every construct in one process per
/// runtime.
fn rounds_by_run(
    binary: &Path,
    opts: &Options,
    runtimes: &mut [Runtime],
    constructs: &[String],
) -> Result<(), String> {
    for rep in 1..=opts.repeat {
        for rt in runtimes.iter_mut() {
            if rt.disabled.is_some() {
                continue;
            }
            let todo: Vec<String> = constructs
                .iter()
                .filter(|c| !rt.failed.contains(c))
                .cloned()
                .collect();
            if todo.is_empty() {
                continue;
            }
            wait_quiet(
                opts.wait_quiet,
                &format!("[{rep}/{}] {}", opts.repeat, rt.base.name),
            );
            run_once(binary, opts, rt, &todo, rep)?;
        }
    }
    Ok(())
}

/// Threads of this process that keep CPUs busy until dropped (`--busy`).
/// Their time is this process's own, so runs do not count as disturbed.
struct Busy {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Busy {
    fn start(n: usize) -> Busy {
        use std::sync::atomic::{AtomicBool, Ordering};
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        if n > 0 {
            eprintln!("bench micro: {n} busy thread(s) of this process run alongside");
        }
        let threads = (0..n)
            .map(|_| {
                let stop = stop.clone();
                std::thread::spawn(move || {
                    let mut x = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        x = std::hint::black_box(x.wrapping_add(1));
                    }
                })
            })
            .collect();
        Busy { stop, threads }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// The order in which round `rep` (from 1) runs `n` runtimes: forward in odd
/// rounds, backward in even ones.
fn round_order(n: usize, rep: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    if rep.is_multiple_of(2) {
        order.reverse();
    }
    order
}

/// Round `rep` of construct `c` on `rt`, in a process of its own.
fn run_construct(
    binary: &Path,
    opts: &Options,
    rt: &mut Runtime,
    c: &str,
    rep: usize,
    tally: &mut Tally,
) -> Result<(), String> {
    if rt.disabled.is_some() || rt.failed.iter().any(|f| f == c) {
        return Ok(());
    }
    let tag = format!("[{rep}/{}] {}", opts.repeat, rt.base.name);
    let out = execute(binary, opts, rt, &[c.to_string()])?;
    if let Err(why) = check_runtime(rt, &out) {
        eprintln!("{tag}: disabled: {why}");
        rt.disabled = Some(why);
        return Ok(());
    }
    tally.secs += out.elapsed.as_secs_f64();
    let sample = parse_lines(&out.stdout)
        .into_iter()
        .find(|(n, _)| n == c)
        .map(|(_, s)| s);
    match sample {
        Some(s) if out.ok() => {
            rt.failed_in_a_row = 0;
            tally.ok += 1;
            let disturbed = out.disturbed();
            tally.disturbed += usize::from(disturbed);
            rt.samples.entry(c.to_string()).or_default().push(Sample {
                disturbed,
                round: rep,
                ..s
            });
        }
        _ => {
            let why = if out.ok() {
                "no result line".to_string()
            } else {
                out.describe_failure()
            };
            eprintln!(
                "{tag}: {c}: FAILED ({why}); not run again on {}",
                rt.base.name
            );
            rt.failed.push(c.to_string());
            tally.failed += 1;
            rt.failed_in_a_row += 1;
            if rt.failed_in_a_row == 3 {
                let why = "three constructs in a row failed".to_string();
                eprintln!("{tag}: {why}: giving up on {}", rt.base.name);
                rt.disabled = Some(why);
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

/// The `q` quantile of sorted values, interpolating linearly between ranks
/// (as the benchmark does for its own quartiles).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    if lo + 1 >= sorted.len() {
        return sorted[sorted.len() - 1];
    }
    sorted[lo] + (pos - lo as f64) * (sorted[lo + 1] - sorted[lo])
}

#[derive(Debug, Clone, Copy)]
enum Cell {
    /// median, q1, q3, runs
    Value(f64, f64, f64, usize),
    Failed,
    Missing,
}

struct Row {
    construct: String,
    /// One per runtime.
    cells: Vec<Cell>,
    /// The samples each cell was made of.
    used: Vec<Vec<Sample>>,
}

struct Table {
    runtimes: Vec<String>,
    /// construct, one cell per runtime
    rows: Vec<Row>,
    threads: usize,
    repeat: usize,
    /// Lines printed under the table.
    notes: Vec<String>,
}

impl Table {
    fn new(constructs: &[String], runtimes: &[Runtime], opts: &Options) -> Table {
        let active: Vec<&Runtime> = runtimes
            .iter()
            .filter(|r| !r.samples.is_empty() || !r.failed.is_empty())
            .collect();
        let rows = constructs
            .iter()
            .map(|c| {
                let (cells, used) = active
                    .iter()
                    .map(|rt| match rt.samples.get(c) {
                        Some(all) if !all.is_empty() => {
                            // Runs disturbed by other load are left out,
                            // unless no other run is there.
                            let quiet: Vec<Sample> =
                                all.iter().filter(|x| !x.disturbed).copied().collect();
                            let s = if quiet.is_empty() { all.clone() } else { quiet };
                            let mut m: Vec<f64> = s.iter().map(|x| x.median).collect();
                            m.sort_by(f64::total_cmp);
                            let cell = if s.len() == 1 {
                                Cell::Value(m[0], s[0].q1, s[0].q3, 1)
                            } else {
                                Cell::Value(
                                    quantile(&m, 0.5),
                                    quantile(&m, 0.25),
                                    quantile(&m, 0.75),
                                    m.len(),
                                )
                            };
                            (cell, s)
                        }
                        _ if rt.failed.contains(c) => (Cell::Failed, Vec::new()),
                        _ => (Cell::Missing, Vec::new()),
                    })
                    .unzip();
                Row {
                    construct: c.clone(),
                    cells,
                    used,
                }
            })
            .collect();
        for rt in runtimes {
            if rt.disabled.is_some() && rt.samples.is_empty() {
                eprintln!("bench micro: {} gave no results (see above)", rt.base.name);
            }
        }
        let mut notes = Vec::new();
        for rt in &active {
            let (mut left_out, mut all_disturbed) = (0, 0);
            for s in rt.samples.values() {
                let d = s.iter().filter(|x| x.disturbed).count();
                if d == s.len() {
                    all_disturbed = all_disturbed.max(d);
                } else {
                    left_out = left_out.max(d);
                }
            }
            if left_out > 0 {
                notes.push(format!(
                    "{}: {left_out} run(s) disturbed by other load left out",
                    rt.base.name
                ));
            }
            if all_disturbed > 0 {
                notes.push(format!(
                    "{}: every run was disturbed by other load: numbers are noisy",
                    rt.base.name
                ));
            }
        }
        Table {
            runtimes: active.iter().map(|r| r.base.name.clone()).collect(),
            rows,
            threads: opts.threads,
            repeat: opts.repeat,
            notes,
        }
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.runtimes.iter().position(|r| r == name)
    }

    /// The (label, pomp index, other index) ratio columns that apply.
    fn ratios(&self) -> Vec<(String, usize, usize)> {
        let Some(p) = self.index("pomp") else {
            return Vec::new();
        };
        // libgomp and libomp, then any LABEL=PATH runtimes in their order.
        let mut others: Vec<&str> = vec!["libgomp", "libomp"];
        others.extend(
            self.runtimes
                .iter()
                .map(String::as_str)
                .filter(|r| !RUNTIMES.contains(r)),
        );
        others
            .iter()
            .filter_map(|o| self.index(o).map(|i| (format!("pomp/{o}"), p, i)))
            .collect()
    }

    /// `num`'s median over `den`'s, when that means something: the
    /// denominator must be clearly above zero (at least [`RATIO_FLOOR_US`],
    /// and its whole q1..q3 spread positive). Some(0.0) stands for a
    /// numerator at or below zero: cheaper than the noise.
    ///
    /// The ratio is paired: the median, over the rounds in which both
    /// runtimes have a run, of the ratio of their two run medians. Runs of one
    /// round are seconds apart and share the machine's state of the moment
    /// (on a VM, overheads can switch between two levels for minutes), so
    /// this cancels what the medians of each column alone cannot. Without
    /// enough pairs it falls back to the ratio of the two medians.
    fn ratio(row: &Row, num: usize, den: usize) -> Option<f64> {
        let (Cell::Value(a, ..), Cell::Value(b, b_q1, ..)) = (row.cells[num], row.cells[den])
        else {
            return None;
        };
        if b < RATIO_FLOOR_US || b_q1 <= 0.0 {
            return None;
        }
        let mut pairs = 0;
        let mut ratios = Vec::new();
        for x in &row.used[num] {
            if let Some(y) = row.used[den].iter().find(|y| y.round == x.round) {
                pairs += 1;
                if y.median > 0.0 {
                    ratios.push((x.median / y.median).max(0.0));
                }
            }
        }
        if pairs > 0 && ratios.len() * 2 >= pairs {
            ratios.sort_by(f64::total_cmp);
            Some(quantile(&ratios, 0.5))
        } else {
            Some((a / b).max(0.0))
        }
    }

    fn render(&self) -> String {
        let ratios = self.ratios();
        let mut header = vec!["construct".to_string()];
        for r in &self.runtimes {
            header.push(r.clone());
            header.push("(q1..q3)".to_string());
        }
        for (label, ..) in &ratios {
            header.push(label.clone());
        }
        let mut lines = vec![header];
        for row in &self.rows {
            let mut line = vec![row.construct.clone()];
            for c in &row.cells {
                match *c {
                    Cell::Value(m, lo, hi, _) => {
                        line.push(format!("{m:.3}"));
                        line.push(format!("({lo:.3}..{hi:.3})"));
                    }
                    Cell::Failed => {
                        line.push("FAILED".into());
                        line.push(String::new());
                    }
                    Cell::Missing => {
                        line.push("-".into());
                        line.push(String::new());
                    }
                }
            }
            for (_, p, o) in &ratios {
                line.push(match Self::ratio(row, *p, *o) {
                    Some(0.0) => "~0".into(),
                    Some(r) => format!("{r:.2}"),
                    None => "-".into(),
                });
            }
            lines.push(line);
        }
        let ncols = lines[0].len();
        let widths: Vec<usize> = (0..ncols)
            .map(|i| {
                lines
                    .iter()
                    .map(|l| l[i].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        let runs = if self.repeat > 1 {
            "median of the run medians, (q1..q3): their quartiles".to_string()
        } else {
            "one run: median and (q1..q3) over its outer repetitions".to_string()
        };
        let _ = writeln!(
            out,
            "\nOpenMP construct overheads, {} thread(s): microseconds per construct \
             (per loop for schedules); {runs}",
            self.threads
        );
        for (k, l) in lines.iter().enumerate() {
            let mut s = String::new();
            for (i, cell) in l.iter().enumerate() {
                if i == 0 {
                    let _ = write!(s, "{cell:<w$}", w = widths[i]);
                } else {
                    // a value and its spread stand together; columns apart
                    let gap = if i % 2 == 0 && i <= 2 * self.runtimes.len() {
                        " "
                    } else {
                        "  "
                    };
                    let _ = write!(s, "{gap}{cell:>w$}", w = widths[i]);
                }
            }
            let _ = writeln!(out, "{}", s.trim_end());
            if k == 0 {
                let total: usize = s.trim_end().chars().count();
                let _ = writeln!(out, "{}", "-".repeat(total));
            }
        }
        if !ratios.is_empty() {
            let _ = writeln!(
                out,
                "ratios: median over rounds of pomp's run median over the other's \
                 (< 1: pomp is cheaper); '-' where \
                 the other's is missing, below {RATIO_FLOOR_US} us or its q1 is not above 0; \
                 '~0' where pomp's is at or below 0"
            );
        }
        for n in &self.notes {
            let _ = writeln!(out, "note: {n}");
        }
        out
    }

    fn csv(&self) -> String {
        let ratios = self.ratios();
        let mut out = String::from("construct,threads");
        for r in &self.runtimes {
            let _ = write!(out, ",{r}_median_us,{r}_q1_us,{r}_q3_us,{r}_runs");
        }
        for (label, ..) in &ratios {
            let _ = write!(out, ",{}", label.replace('/', "_over_"));
        }
        out.push('\n');
        for row in &self.rows {
            let _ = write!(out, "{},{}", row.construct, self.threads);
            for c in &row.cells {
                match *c {
                    Cell::Value(m, lo, hi, n) => {
                        let _ = write!(out, ",{m:.4},{lo:.4},{hi:.4},{n}");
                    }
                    Cell::Failed => out.push_str(",failed,,,0"),
                    Cell::Missing => out.push_str(",,,,0"),
                }
            }
            for (_, p, o) in &ratios {
                match Self::ratio(row, *p, *o) {
                    Some(r) => {
                        let _ = write!(out, ",{r:.3}");
                    }
                    None => out.push(','),
                }
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_benchmark_lines() {
        let s = parse_lines(
            "construct=barrier threads=2 median_us=0.25 min_us=0.2 max_us=0.4 \
             q1_us=0.22 q3_us=0.3 ref_us=0.1 innerreps=100 reps=20\ngarbage\n",
        );
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].0, "barrier");
        assert_eq!(s[0].1.median, 0.25);
        assert_eq!(s[0].1.q3, 0.3);
    }

    #[test]
    fn quartiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0, 100.0];
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert_eq!(quantile(&v, 0.25), 2.0);
        assert_eq!(quantile(&v, 0.75), 4.0);
        assert_eq!(quantile(&[1.0, 2.0], 0.5), 1.5);
        assert_eq!(quantile(&[7.0], 0.25), 7.0);
    }

    #[test]
    fn ratio_is_paired_by_round() {
        let sample = |median, round| Sample {
            median,
            q1: median,
            q3: median,
            disturbed: false,
            round,
        };
        // The machine switches between a fast and a slow level from round to
        // round; pomp is 10% slower than libgomp in every round.
        let gomp: Vec<Sample> = (1..=6)
            .map(|r| sample(if r % 2 == 0 { 1.0 } else { 2.0 }, r))
            .collect();
        let pomp: Vec<Sample> = gomp
            .iter()
            .map(|s| sample(s.median * 1.1, s.round))
            .collect();
        let row = Row {
            construct: "barrier".into(),
            cells: vec![
                Cell::Value(1.65, 1.1, 2.2, 6),
                Cell::Value(1.5, 1.0, 2.0, 6),
            ],
            used: vec![pomp, gomp],
        };
        let r = Table::ratio(&row, 0, 1).unwrap();
        assert!((r - 1.1).abs() < 1e-9, "{r}");
        // A denominator whose spread reaches zero gives no ratio.
        let mut noisy = row;
        noisy.cells[1] = Cell::Value(0.5, -0.1, 1.0, 6);
        assert!(Table::ratio(&noisy, 0, 1).is_none());
    }

    #[test]
    fn rejects_unknown_runtime() {
        let args = vec!["--runtimes".to_string(), "libgomp,icc".to_string()];
        let e = parse_args(&args).unwrap_err();
        assert!(
            e.contains("icc") && e.contains("libgomp, libomp, pomp"),
            "{e}"
        );
    }

    #[test]
    fn a_labelled_library_is_a_runtime_of_its_own() {
        let exe = std::env::current_exe().unwrap();
        let spec = format!("base={}", exe.display());
        let args = vec!["--runtimes".to_string(), format!("libgomp,pomp,{spec}")];
        let o = parse_args(&args).unwrap().unwrap();
        assert_eq!(o.runtimes, ["libgomp", "pomp", spec.as_str()]);
        // Bad labels and missing files are one-line errors.
        for bad in [
            "pomp=/bin/sh",
            "=/bin/sh",
            "a b=/bin/sh",
            "x=/no/such/lib.so",
        ] {
            let args = vec!["--runtimes".to_string(), bad.to_string()];
            let e = parse_args(&args).unwrap_err();
            assert!(
                !e.contains('\n') && e.contains(bad.split('=').next().unwrap()),
                "{e}"
            );
        }
        // The table gives pomp a ratio over each labelled runtime too.
        let table = Table {
            runtimes: vec!["libgomp".into(), "pomp".into(), "base".into()],
            rows: vec![],
            threads: 2,
            repeat: 1,
            notes: vec![],
        };
        let cols: Vec<String> = table.ratios().into_iter().map(|c| c.0).collect();
        assert_eq!(cols, ["pomp/libgomp", "pomp/base"]);
    }

    #[test]
    fn interleaving_is_an_option() {
        let o = parse_args(&[]).unwrap().unwrap();
        assert_eq!(o.interleave, Interleave::Construct);
        let args = vec!["--interleave=run".to_string()];
        assert_eq!(
            parse_args(&args).unwrap().unwrap().interleave,
            Interleave::Run
        );
        let args = vec!["--interleave".to_string(), "rounds".to_string()];
        let e = parse_args(&args).unwrap_err();
        assert!(e.contains("'rounds'") && e.contains("--interleave"), "{e}");
        // Rounds alternate the runtimes' order.
        assert_eq!(round_order(3, 1), [0, 1, 2]);
        assert_eq!(round_order(3, 2), [2, 1, 0]);
        assert_eq!(round_order(3, 3), [0, 1, 2]);
    }

    #[test]
    fn busy_threads_are_counted_and_stop() {
        let args = vec!["--busy".to_string(), "2".to_string()];
        assert_eq!(parse_args(&args).unwrap().unwrap().busy, 2);
        let args = vec!["--busy=-1".to_string()];
        let e = parse_args(&args).unwrap_err();
        assert!(e.contains("'-1'") && e.contains("--busy"), "{e}");
        let b = Busy::start(2);
        assert_eq!(b.threads.len(), 2);
        // Dropping joins them: a hang here is the failure.
        drop(b);
    }

    #[test]
    fn options_with_equals() {
        let args: Vec<String> = [
            "--threads=4",
            "--repeat",
            "3",
            "--constructs=barrier,single",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let o = parse_args(&args).unwrap().unwrap();
        assert_eq!(o.threads, 4);
        assert_eq!(o.repeat, 3);
        assert_eq!(o.constructs.unwrap(), vec!["barrier", "single"]);
    }
}
