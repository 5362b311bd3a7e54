//! `pomp bench npb`: the NAS Parallel Benchmark kernels of `npb/` (EP, IS,
//! CG, MG, FT in OpenMP C) on several OpenMP runtimes, compared side by side.
//!
//! The kernels are built with `make -C npb BIN=target/bench-npb/bin` (make
//! rebuilds what is missing or older than its sources). Each binary then runs
//! unchanged on every runtime, which is swapped by library path as
//! `runtimes.rs` describes. Every run is made with `LD_DEBUG=libs`, and the
//! dynamic loader's own trace says which `libgomp.so.1` it initialised: a run
//! that loaded another library than the one asked for disables that runtime
//! and counts as a failure, so a broken alias can never pass one runtime's
//! numbers off as another's.
//!
//! Runs interleave: for each repetition, for each kernel, each runtime in
//! turn, so that the drifts of a noisy machine hit all runtimes alike.
//!
//! A kernel checks its own result against NPB's reference values and prints
//! `RESULT kernel=.. class=.. threads=.. time=.. mops=.. verified=..`; it
//! exits 0 when verified, 1 when not, 2 on a bad argument, 3 out of memory.
//! A run that does not verify (or crashes, or times out) is a failure: shown
//! in its row's status, left out of the statistics, and the command exits
//! non-zero after printing the table and writing the files.
//!
//! The table (and the CSV, one row per kernel and runtime) gives the median
//! time of the verified runs, their min..max, the median Mop/s and the ratio
//! of the median time to libgomp's (to the first runtime's when libgomp is
//! not run). The chart (SVG) draws those ratios as grouped bars.
//!
//! `--nodes 1,2` also runs pomp across local nodes: the same binary (the
//! Makefile links with `-z now`) under `pomp run -n N`, with
//! `OMP_NUM_THREADS` the team size over all nodes. Those rows are named
//! `pomp@Nn`, carry their node count, and are compared with libgomp on one
//! node, same total threads.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::load::{run_child, ChildOutput};
use crate::runtimes::{self, repo_root, Runtime, RUNTIMES};

const USAGE: &str = "\
usage: pomp bench npb [options]

NAS Parallel Benchmark kernels (npb/: ep, is, cg, mg, ft) run on each
OpenMP runtime in turn, the same binary for all.

options:
  --kernels a,b,...    kernels to run, in this order (default: ep,is,cg,mg,ft)
  --class X            problem class: S, W, A, B or C (default S)
  --threads N          team size (OMP_NUM_THREADS); default: the CPUs available
  --nodes a,b,...      node counts to run pomp on (pomp run -n N, local
                       nodes; the team spread over them); default 1
  --runtimes a,b,...   runtimes to compare, in this order; default:
                       libgomp,libomp,pomp
  --repeat N           runs of each kernel on each runtime, interleaved
                       (default 5)
  --out DIR            directory of the CSV and chart (default target/bench-npb)
  --csv FILE           write the CSV to FILE (default DIR/npb.csv)
  --chart FILE.svg     write the chart to FILE (default DIR/npb.svg)
  --timeout SECS       give up on one run after SECS seconds (default 600)
  -h, --help           this text

pomp is libpomp.so next to this executable, or $POMP_LIB.
A run that does not verify is marked in the table and makes the command
exit non-zero.
";

/// The kernels, in their default order.
const KERNELS: [&str; 5] = ["ep", "is", "cg", "mg", "ft"];

/// The problem classes the kernels accept.
const CLASSES: [&str; 5] = ["S", "W", "A", "B", "C"];

/// A run during which other processes kept at least this many CPUs busy on
/// average is noted as disturbed (its time is kept: the median copes).
const DISTURBED_CPUS: f64 = 0.25;

#[derive(Debug, PartialEq)]
struct Options {
    kernels: Vec<String>,
    class: String,
    threads: usize,
    runtimes: Vec<String>,
    repeat: usize,
    out: Option<PathBuf>,
    csv: Option<PathBuf>,
    chart: Option<PathBuf>,
    timeout: Duration,
    nodes: Vec<usize>,
}

/// Entry point of `pomp bench npb`; `args` are the arguments after
/// `bench npb` (a leading `npb` is skipped too).
pub fn main(args: &[String]) -> Result<(), String> {
    let args = match args.first().map(String::as_str) {
        Some("npb") => &args[1..],
        _ => args,
    };
    let Some(opts) = parse_args(args)? else {
        print!("{USAGE}");
        return Ok(());
    };

    let root = repo_root()?;
    let work = root.join("target").join("bench-npb");
    let out_dir = opts.out.clone().unwrap_or_else(|| work.clone());
    let csv_path = opts.csv.clone().unwrap_or_else(|| out_dir.join("npb.csv"));
    let chart_path = opts
        .chart
        .clone()
        .unwrap_or_else(|| out_dir.join("npb.svg"));

    let mut rts = Vec::new();
    for name in &opts.runtimes {
        match Runtime::locate(name, &work) {
            Ok(rt) if rt.name == "pomp" => {
                for &nodes in &opts.nodes {
                    rts.push(Subject {
                        rt: rt.clone(),
                        nodes,
                        label: label(&rt.name, nodes),
                        disabled: None,
                    });
                }
            }
            Ok(rt) => rts.push(Subject {
                label: rt.name.clone(),
                rt,
                nodes: 1,
                disabled: None,
            }),
            Err(why) => eprintln!("bench npb: skipping {name}: {why}"),
        }
    }
    if rts.is_empty() {
        return Err("no runtime to benchmark (all were skipped)".into());
    }
    let bin_dir = work.join("bin");
    build(&root, &bin_dir, &opts.kernels)?;

    eprintln!(
        "bench npb: class {}, {} thread(s), {} repetition(s); {}; binaries in {}",
        opts.class,
        opts.threads,
        opts.repeat,
        rts.iter()
            .map(|s| format!("{} ({})", s.label, s.rt.lib.display()))
            .collect::<Vec<_>>()
            .join(", "),
        bin_dir.display()
    );

    let mut series: Vec<Series> = Vec::new();
    for k in &opts.kernels {
        for s in &rts {
            series.push(Series {
                kernel: k.clone(),
                runtime: s.label.clone(),
                nodes: s.nodes,
                runs: Vec::new(),
            });
        }
    }
    let nr = rts.len();
    let total = opts.repeat * opts.kernels.len() * nr;
    let mut n = 0;
    let started = Instant::now();
    for rep in 1..=opts.repeat {
        for (ki, k) in opts.kernels.iter().enumerate() {
            let binary = bin_dir.join(k);
            for (ri, s) in rts.iter_mut().enumerate() {
                n += 1;
                if s.disabled.is_some() {
                    continue;
                }
                let tag = format!("[{n}/{total}] {k} {} {}", opts.class, s.label);
                let exec = execute(&binary, &opts, s)?;
                let run = judge(&exec, k, &opts, s, rep);
                eprintln!("{tag}: {}", run.describe());
                if let Err(why) = loaded_ok(&exec, s) {
                    eprintln!("{tag}: {why}: not run again on {}", s.label);
                    s.disabled = Some(why);
                }
                series[ki * nr + ri].runs.push(run);
            }
        }
    }
    eprintln!(
        "bench npb: done in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let report = Report {
        class: opts.class.clone(),
        threads: opts.threads,
        repeat: opts.repeat,
        kernels: opts.kernels.clone(),
        runtimes: rts.iter().map(|s| s.label.clone()).collect(),
        series,
    };
    print!("{}", report.render());

    for p in [&csv_path, &chart_path] {
        if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
    }
    std::fs::write(&csv_path, report.csv())
        .map_err(|e| format!("cannot write {}: {e}", csv_path.display()))?;
    report.chart(&chart_path)?;
    println!("csv:   {}", csv_path.display());
    println!("chart: {}", chart_path.display());

    let failed = report.failed_runs();
    let disabled: Vec<String> = rts
        .iter()
        .filter_map(|s| s.disabled.as_ref().map(|w| format!("{}: {w}", s.label)))
        .collect();
    if failed > 0 || !disabled.is_empty() {
        let mut msg = format!(
            "{failed} of {} run(s) failed (marked in the table)",
            report.total_runs()
        );
        if !disabled.is_empty() {
            let _ = write!(msg, "; runtime(s) disabled: {}", disabled.join("; "));
        }
        return Err(msg);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

/// The options, or None for `--help`.
fn parse_args(args: &[String]) -> Result<Option<Options>, String> {
    let mut o = Options {
        kernels: KERNELS.iter().map(|s| s.to_string()).collect(),
        class: "S".into(),
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        runtimes: RUNTIMES.iter().map(|s| s.to_string()).collect(),
        repeat: 5,
        out: None,
        csv: None,
        chart: None,
        timeout: Duration::from_secs(600),
        nodes: vec![1],
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
            "--kernels" => {
                o.kernels = choose("kernel", &value()?.to_lowercase(), &KERNELS)?;
            }
            "--runtimes" => o.runtimes = choose("runtime", &value()?, &RUNTIMES)?,
            "--class" => {
                let v = value()?;
                let c = v.trim().to_uppercase();
                if !CLASSES.contains(&c.as_str()) {
                    return Err(format!(
                        "unknown class '{v}'; valid: {}",
                        CLASSES.join(", ")
                    ));
                }
                o.class = c;
            }
            "--threads" => o.threads = parse_count(flag, &value()?)?,
            "--repeat" => o.repeat = parse_count(flag, &value()?)?,
            "--nodes" => o.nodes = parse_nodes(&value()?)?,
            "--timeout" => {
                let v = value()?;
                let secs = v
                    .parse::<f64>()
                    .ok()
                    .filter(|s| *s > 0.0 && s.is_finite())
                    .ok_or_else(|| format!("bad value '{v}' for --timeout (need seconds > 0)"))?;
                o.timeout = Duration::from_secs_f64(secs);
            }
            "--out" => o.out = Some(PathBuf::from(value()?)),
            "--csv" => o.csv = Some(PathBuf::from(value()?)),
            "--chart" => o.chart = Some(PathBuf::from(value()?)),
            _ => {
                return Err(format!(
                    "unknown option '{arg}' for bench npb; see `pomp bench npb --help`"
                ))
            }
        }
        i += 1;
    }
    Ok(Some(o))
}

/// A comma list of names, each one of `valid`, without repeats, in the
/// order given.
fn choose(what: &str, list: &str, valid: &[&str]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for name in list.split(',').map(str::trim).filter(|x| !x.is_empty()) {
        if !valid.contains(&name) {
            return Err(format!(
                "unknown {what} '{name}'; valid: {}",
                valid.join(", ")
            ));
        }
        if !out.iter().any(|x| x == name) {
            out.push(name.to_string());
        }
    }
    if out.is_empty() {
        return Err(format!(
            "--{what}s needs at least one of: {}",
            valid.join(", ")
        ));
    }
    Ok(out)
}

/// `--nodes`: node counts from 1 to 16, without repeats, in the order given.
fn parse_nodes(list: &str) -> Result<Vec<usize>, String> {
    let mut out: Vec<usize> = Vec::new();
    for v in list.split(',').map(str::trim).filter(|x| !x.is_empty()) {
        match v.parse::<usize>() {
            Ok(n) if (1..=16).contains(&n) => {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
            _ => {
                return Err(format!(
                    "bad value '{v}' for --nodes (need node counts from 1 to 16)"
                ))
            }
        }
    }
    if out.is_empty() {
        return Err("--nodes needs at least one node count".into());
    }
    Ok(out)
}

fn parse_count(flag: &str, v: &str) -> Result<usize, String> {
    match v.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("bad value '{v}' for {flag} (need an integer >= 1)")),
    }
}

// ---------------------------------------------------------------------------
// Building and running the kernels
// ---------------------------------------------------------------------------

/// Builds the binaries of `kernels` into `bin_dir` with npb/Makefile, unless
/// make finds them up to date.
fn build(root: &Path, bin_dir: &Path, kernels: &[String]) -> Result<(), String> {
    let npb = root.join("npb");
    std::fs::create_dir_all(bin_dir)
        .map_err(|e| format!("cannot create {}: {e}", bin_dir.display()))?;
    let make = |question: bool| {
        let mut c = Command::new("make");
        c.arg("-s").arg("-C").arg(&npb);
        if question {
            c.arg("-q");
        }
        c.arg(format!("BIN={}", bin_dir.display()))
            .args(kernels.iter().map(|k| bin_dir.join(k)))
            // The Makefile's own flags (-O3, -fopenmp, ...) must be the ones
            // used: no compiler settings from the caller's environment.
            .env_remove("CC")
            .env_remove("CFLAGS")
            .env_remove("LDFLAGS")
            .env_remove("LDLIBS")
            .env_remove("CLASS")
            .env_remove("MAKEFLAGS")
            .stdin(Stdio::null());
        c
    };
    let up_to_date = make(true)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if up_to_date {
        return Ok(());
    }
    eprintln!(
        "bench npb: building {} in {}",
        kernels.join(", "),
        bin_dir.display()
    );
    let out = make(false)
        .output()
        .map_err(|e| format!("cannot run make (is it installed?): {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "building the NPB kernels failed (make -C {} BIN={}):\n{}",
            npb.display(),
            bin_dir.display(),
            String::from_utf8_lossy(&out.stderr).trim_end()
        ));
    }
    Ok(())
}

/// A runtime taking part, and why it was stopped, if it was.
struct Subject {
    rt: Runtime,
    /// Nodes the runs use (`pomp run -n`; 1: the program alone).
    nodes: usize,
    /// The runtime's name, `@Nn` added across nodes.
    label: String,
    disabled: Option<String>,
}

/// What one execution of a kernel gave.
type Exec = ChildOutput;

/// The name of a runtime's rows: `pomp`, or `pomp@2n` across 2 nodes.
fn label(name: &str, nodes: usize) -> String {
    if nodes == 1 {
        name.to_string()
    } else {
        format!("{name}@{nodes}n")
    }
}

/// Runs `binary` for `opts.class` on `s`'s runtime (under `pomp run` across
/// nodes), with the loader traced.
fn execute(binary: &Path, opts: &Options, s: &Subject) -> Result<Exec, String> {
    let mut cmd = if s.nodes > 1 {
        let pomp =
            std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
        let mut c = Command::new(pomp);
        c.arg("run")
            .arg("-n")
            .arg(s.nodes.to_string())
            .arg("--")
            .arg(binary);
        // pomp run loads the libpomp.so next to it, or $POMP_LIB: the same
        // library as this runtime's.
        c.env("POMP_LIB", &s.rt.lib);
        c
    } else {
        Command::new(binary)
    };
    cmd.arg(&opts.class)
        .env("OMP_NUM_THREADS", opts.threads.to_string())
        .env_remove("NPB_CLASS");
    if s.nodes > 1 {
        // Each node prints its statistics at exit: the pages moved.
        cmd.env("POMP_DISPLAY_STATS", "1");
    }
    s.rt.apply(&mut cmd);
    runtimes::trace_loader(&mut cmd);
    run_child(cmd, opts.timeout)
}

/// Checks, from the loader's trace, that the run loaded `s`'s library
/// (across nodes: pomp run preloads libpomp.so, and no libgomp.so.1 of
/// another runtime was initialised).
fn loaded_ok(exec: &Exec, s: &Subject) -> Result<(), String> {
    match runtimes::loaded_libgomp(&exec.stderr) {
        Some(p) => s.rt.check_loaded(&p),
        None if s.nodes > 1 => {
            if runtimes::initialised(&exec.stderr)
                .iter()
                .any(|p| s.rt.check_loaded(p).is_ok())
            {
                Ok(())
            } else {
                Err(format!(
                    "the nodes did not initialise {}",
                    s.rt.lib.display()
                ))
            }
        }
        None => Err("the loader did not initialise any libgomp.so.1".into()),
    }
}

/// The fields of the kernel's `RESULT` line.
#[derive(Debug, Default, PartialEq)]
struct ResultLine {
    kernel: String,
    class: String,
    threads: Option<usize>,
    time: Option<f64>,
    mops: Option<f64>,
    verified: bool,
    /// The kernel's iterations (what pages moved are divided by).
    iters: Option<u64>,
}

/// The last `RESULT k=v ...` line of a kernel's output.
fn parse_result(stdout: &str) -> Option<ResultLine> {
    let line = stdout
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("RESULT "))?;
    let mut r = ResultLine::default();
    for kv in line.split_whitespace() {
        let Some((k, v)) = kv.split_once('=') else {
            continue;
        };
        match k {
            "kernel" => r.kernel = v.to_string(),
            "class" => r.class = v.to_string(),
            "threads" => r.threads = v.parse().ok(),
            "time" => r.time = v.parse().ok().filter(|t: &f64| t.is_finite()),
            "mops" => r.mops = v.parse().ok().filter(|m: &f64| m.is_finite()),
            "verified" => r.verified = v == "1",
            "iters" => r.iters = v.parse().ok().filter(|&i: &u64| i > 0),
            _ => {}
        }
    }
    Some(r)
}

/// One execution of one kernel on one runtime.
#[derive(Debug, Clone, PartialEq)]
struct Run {
    /// The repetition it belongs to, from 1.
    rep: usize,
    /// The timed section, in seconds, as the kernel reported it.
    time: Option<f64>,
    mops: Option<f64>,
    /// None: verified. Some(why): a failure.
    failure: Option<String>,
    /// CPUs kept busy by other processes during the run, when known.
    foreign: Option<f64>,
    /// Across nodes: DSM pages moved (pages-in summed over the nodes'
    /// POMP_DISPLAY_STATS lines).
    pages: Option<u64>,
    /// The kernel's iterations, from its RESULT line.
    iters: Option<u64>,
}

impl Run {
    fn ok(&self) -> bool {
        self.failure.is_none()
    }

    fn disturbed(&self) -> bool {
        self.foreign.is_some_and(|f| f >= DISTURBED_CPUS)
    }

    /// The progress line's text: `0.45 s verified`.
    fn describe(&self) -> String {
        let mut s = match (self.time, &self.failure) {
            (Some(t), None) => format!("{t:.3} s verified"),
            (Some(t), Some(why)) => format!("{t:.3} s FAILED: {why}"),
            (None, Some(why)) => format!("FAILED: {why}"),
            (None, None) => "no time".into(),
        };
        if let Some(f) = self.foreign.filter(|_| self.disturbed()) {
            let _ = write!(s, " (other processes used {f:.2} CPUs)");
        }
        s
    }
}

/// Turns an execution into a run: verified, or why not.
fn judge(exec: &Exec, kernel: &str, opts: &Options, s: &Subject, rep: usize) -> Run {
    let result = parse_result(&exec.stdout);
    Run {
        rep,
        time: result.as_ref().and_then(|r| r.time),
        mops: result.as_ref().and_then(|r| r.mops),
        failure: failure(exec, result.as_ref(), kernel, opts, s),
        foreign: exec.foreign,
        pages: pages_moved(&exec.stderr),
        iters: result.as_ref().and_then(|r| r.iters),
    }
}

/// The DSM pages the nodes of a run took in, from their statistics lines
/// (`pomp: stats: node K ... pages-in N ...`); None without any.
fn pages_moved(stderr: &str) -> Option<u64> {
    let mut total = None;
    for l in stderr
        .lines()
        .filter(|l| l.starts_with("pomp: stats: node "))
    {
        let w: Vec<&str> = l.split_whitespace().collect();
        if let Some(i) = w.iter().position(|x| *x == "pages-in") {
            if let Some(n) = w.get(i + 1).and_then(|v| v.parse::<u64>().ok()) {
                *total.get_or_insert(0) += n;
            }
        }
    }
    total
}

/// Why a run does not count, None when it verified as asked.
fn failure(
    exec: &Exec,
    result: Option<&ResultLine>,
    kernel: &str,
    opts: &Options,
    s: &Subject,
) -> Option<String> {
    use std::os::unix::process::ExitStatusExt;
    if let Err(why) = loaded_ok(exec, s) {
        return Some(format!("did not run on {}: {why}", s.label));
    }
    let Some(status) = exec.status else {
        return Some(format!(
            "timed out after {:.0} s",
            exec.elapsed.as_secs_f64()
        ));
    };
    let code = match (status.code(), status.signal()) {
        (Some(c), _) => c,
        (None, sig) => return Some(format!("killed by signal {}", sig.unwrap_or(0))),
    };
    match (code, result) {
        (0 | 1, Some(r)) => {
            if code == 1 || !r.verified {
                Some("not verified".into())
            } else if r.kernel != kernel || r.class != opts.class {
                Some(format!("ran {} class {} instead", r.kernel, r.class))
            } else if r.threads != Some(opts.threads) {
                Some(format!(
                    "ran on {} thread(s), not {}",
                    r.threads.map_or("?".into(), |t| t.to_string()),
                    opts.threads
                ))
            } else if r.time.is_none() {
                Some("no time in the RESULT line".into())
            } else {
                None
            }
        }
        _ => {
            let what = match code {
                0 | 1 => "no RESULT line".to_string(),
                2 => "bad argument (exit 2)".to_string(),
                3 => "out of memory (exit 3)".to_string(),
                c => format!("exit status {c}"),
            };
            let tail = program_stderr_tail(&exec.stderr);
            Some(if tail.is_empty() {
                what
            } else {
                format!("{what}: {tail}")
            })
        }
    }
}

/// The last lines of what the program itself wrote on stderr (the loader's
/// trace left out), on one line.
fn program_stderr_tail(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| !runtimes::is_loader_line(l) && !l.trim().is_empty())
        .collect();
    lines[lines.len().saturating_sub(2)..].join(" | ")
}

// ---------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------

/// The median of `v` (the mean of the two middle values for an even count);
/// None for no values.
fn median(v: &[f64]) -> Option<f64> {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(s[n / 2]),
        _ => Some((s[n / 2 - 1] + s[n / 2]) / 2.0),
    }
}

/// `time / base`, when both are there and the base is above zero.
fn ratio(time: Option<f64>, base: Option<f64>) -> Option<f64> {
    match (time, base) {
        (Some(t), Some(b)) if b > 0.0 => Some(t / b),
        _ => None,
    }
}

/// The verified runs of one series, summed up.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Summary {
    median: f64,
    min: f64,
    max: f64,
    mops: Option<f64>,
    verified: usize,
    /// Median DSM pages moved per run (runs across nodes).
    pages: Option<f64>,
    /// Median pages moved per kernel iteration (setup included).
    pages_per_iter: Option<f64>,
}

/// The runs of one kernel on one runtime (on `nodes` nodes): a row of the
/// table and of the CSV.
#[derive(Debug, Clone)]
struct Series {
    kernel: String,
    runtime: String,
    nodes: usize,
    runs: Vec<Run>,
}

impl Series {
    /// Over the verified runs; None when there is none.
    fn summary(&self) -> Option<Summary> {
        let times: Vec<f64> = self
            .runs
            .iter()
            .filter(|r| r.ok())
            .filter_map(|r| r.time)
            .collect();
        let mops: Vec<f64> = self
            .runs
            .iter()
            .filter(|r| r.ok())
            .filter_map(|r| r.mops)
            .collect();
        let pages: Vec<f64> = self
            .runs
            .iter()
            .filter(|r| r.ok())
            .filter_map(|r| r.pages.map(|p| p as f64))
            .collect();
        let per_iter: Vec<f64> = self
            .runs
            .iter()
            .filter(|r| r.ok())
            .filter_map(|r| Some(r.pages? as f64 / r.iters? as f64))
            .collect();
        Some(Summary {
            pages: median(&pages),
            pages_per_iter: median(&per_iter),
            median: median(&times)?,
            min: times.iter().copied().fold(f64::INFINITY, f64::min),
            max: times.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            mops: median(&mops),
            verified: times.len(),
        })
    }

    fn failures(&self) -> Vec<&Run> {
        self.runs.iter().filter(|r| !r.ok()).collect()
    }

    /// `ok`, `-` (never run), or `FAILED: not verified x2; ...`.
    fn status(&self) -> String {
        let failed = self.failures();
        if self.runs.is_empty() {
            return "not run".into();
        }
        if failed.is_empty() {
            return "ok".into();
        }
        // Each distinct reason once, with its count.
        let mut reasons: Vec<(String, usize)> = Vec::new();
        for r in failed {
            let why = r.failure.clone().unwrap_or_default();
            match reasons.iter_mut().find(|(w, _)| *w == why) {
                Some((_, n)) => *n += 1,
                None => reasons.push((why, 1)),
            }
        }
        let parts: Vec<String> = reasons
            .into_iter()
            .map(|(w, n)| if n > 1 { format!("{w} x{n}") } else { w })
            .collect();
        format!("FAILED: {}", parts.join("; "))
    }
}

/// Everything measured, ready to print, write or draw.
struct Report {
    class: String,
    threads: usize,
    repeat: usize,
    kernels: Vec<String>,
    runtimes: Vec<String>,
    /// One per kernel and runtime.
    series: Vec<Series>,
}

impl Report {
    /// The runtime the others are compared with: libgomp when it ran, else
    /// the first.
    fn base(&self) -> Option<&str> {
        self.runtimes
            .iter()
            .find(|r| *r == "libgomp")
            .or(self.runtimes.first())
            .map(String::as_str)
    }

    fn find(&self, kernel: &str, runtime: &str) -> Option<&Series> {
        self.series
            .iter()
            .find(|s| s.kernel == kernel && s.runtime == runtime)
    }

    /// `s`'s median time over the base runtime's (one node), same kernel.
    fn ratio(&self, s: &Series) -> Option<f64> {
        let base = self
            .series
            .iter()
            .find(|b| Some(b.runtime.as_str()) == self.base() && b.kernel == s.kernel)?
            .summary();
        ratio(s.summary().map(|x| x.median), base.map(|x| x.median))
    }

    fn total_runs(&self) -> usize {
        self.series.iter().map(|s| s.runs.len()).sum()
    }

    fn failed_runs(&self) -> usize {
        self.series.iter().map(|s| s.failures().len()).sum()
    }

    fn render(&self) -> String {
        let base = self.base().unwrap_or("-");
        let mut lines: Vec<Vec<String>> = vec![[
            "kernel",
            "runtime",
            "nodes",
            "time s",
            "(min..max)",
            "Mop/s",
            &format!("vs {base}"),
            "runs",
            "pages moved",
            "per iter",
            "status",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()];
        for s in &self.series {
            let sum = s.summary();
            lines.push(vec![
                s.kernel.clone(),
                s.runtime.clone(),
                s.nodes.to_string(),
                sum.map_or("-".into(), |x| format!("{:.3}", x.median)),
                sum.map_or(String::new(), |x| format!("({:.3}..{:.3})", x.min, x.max)),
                sum.and_then(|x| x.mops)
                    .map_or("-".into(), |m| format!("{m:.1}")),
                self.ratio(s).map_or("-".into(), |r| format!("{r:.2}")),
                format!("{}/{}", sum.map_or(0, |x| x.verified), s.runs.len()),
                sum.and_then(|x| x.pages)
                    .map_or("-".into(), |p| format!("{p:.0}")),
                sum.and_then(|x| x.pages_per_iter)
                    .map_or("-".into(), |p| format!("{p:.0}")),
                s.status(),
            ]);
        }
        let widths: Vec<usize> = (0..lines[0].len())
            .map(|i| {
                lines
                    .iter()
                    .map(|l| l[i].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "\nNPB class {}, {} thread(s) in all, {} repetition(s): median time of the \
             verified runs (min..max), median Mop/s, median time over {base}'s on one node",
            self.class, self.threads, self.repeat
        );
        for (k, l) in lines.iter().enumerate() {
            let mut s = String::new();
            for (i, cell) in l.iter().enumerate() {
                let w = widths[i];
                match i {
                    0 | 1 | 9 => {
                        let _ = write!(s, "{cell:<w$}  ");
                    }
                    // a time and its spread stand together
                    3 => {
                        let _ = write!(s, "{cell:>w$} ");
                    }
                    _ => {
                        let _ = write!(s, "{cell:>w$}  ");
                    }
                }
            }
            let _ = writeln!(out, "{}", s.trim_end());
            if k == 0 {
                let _ = writeln!(out, "{}", "-".repeat(s.trim_end().chars().count()));
            }
            // a blank line between kernels
            if k > 0 && k < self.series.len() && k % self.runtimes.len().max(1) == 0 {
                out.push('\n');
            }
        }
        let disturbed: usize = self
            .series
            .iter()
            .map(|s| s.runs.iter().filter(|r| r.disturbed()).count())
            .sum();
        if disturbed > 0 {
            let _ = writeln!(
                out,
                "note: {disturbed} of {} run(s) shared the machine with other processes \
                 (at least {DISTURBED_CPUS} CPUs busy): times are noisy",
                self.total_runs()
            );
        }
        out
    }

    fn csv(&self) -> String {
        let base = self.base().unwrap_or("none");
        let mut out = format!(
            "kernel,class,nodes,threads,runtime,runs,verified,median_s,min_s,max_s,\
             median_mops,ratio_vs_{base},pages_moved,pages_per_iter,failures"
        );
        for i in 1..=self.repeat {
            let _ = write!(out, ",time_{i}_s");
        }
        out.push('\n');
        let num = |v: Option<f64>, prec: usize| v.map_or(String::new(), |x| format!("{x:.prec$}"));
        for s in &self.series {
            let sum = s.summary();
            let failures: Vec<String> = s
                .failures()
                .iter()
                .map(|r| format!("{}: {}", r.rep, r.failure.clone().unwrap_or_default()))
                .collect();
            let _ = write!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                s.kernel,
                self.class,
                s.nodes,
                self.threads,
                s.runtime,
                s.runs.len(),
                sum.map_or(0, |x| x.verified),
                num(sum.map(|x| x.median), 4),
                num(sum.map(|x| x.min), 4),
                num(sum.map(|x| x.max), 4),
                num(sum.and_then(|x| x.mops), 2),
                num(self.ratio(s), 4),
                num(sum.and_then(|x| x.pages), 0),
                num(sum.and_then(|x| x.pages_per_iter), 1),
                csv_field(&failures.join("; ")),
            );
            for i in 1..=self.repeat {
                let t = s.runs.iter().find(|r| r.rep == i).and_then(|r| r.time);
                let _ = write!(out, ",{}", num(t, 4));
            }
            out.push('\n');
        }
        out
    }

    /// Grouped bars, one group per kernel and one bar per runtime: median
    /// time over the base runtime's, with the min..max of the runs as a
    /// whisker.
    fn chart(&self, path: &Path) -> Result<(), String> {
        use plotters::prelude::*;
        let err = |e: &dyn std::fmt::Display| format!("cannot draw {}: {e}", path.display());
        let base = self.base().unwrap_or("-").to_string();
        let nk = self.kernels.len().max(1);
        let nr = self.runtimes.len().max(1);

        // (kernel index, runtime index, median, min, max), normalised.
        let mut bars = Vec::new();
        let mut missing = Vec::new();
        for (ki, k) in self.kernels.iter().enumerate() {
            let reference = self
                .find(k, &base)
                .and_then(Series::summary)
                .map(|x| x.median)
                .filter(|m| *m > 0.0);
            for (ri, r) in self.runtimes.iter().enumerate() {
                let s = self.find(k, r).and_then(Series::summary);
                match (s, reference) {
                    (Some(s), Some(b)) => bars.push((ki, ri, s.median / b, s.min / b, s.max / b)),
                    _ => missing.push((ki, ri)),
                }
            }
        }
        let top = bars.iter().map(|b| b.4).fold(1.0f64, f64::max).min(100.0);
        // Headroom above the bars for their labels and for the legend
        // (about 20 px per runtime of the ~350 px plot).
        let height = 440;
        let legend = ((nr * 20 + 20) as f64 / (height - 90) as f64).min(0.5);
        let ymax = (top * 1.1 / (1.0 - legend)).max(1.25);

        let width = (160 + 110 * nk as u32).max(520);
        let root = SVGBackend::new(path, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!(
                    "NPB class {}, {} thread(s): time relative to {base} (lower is faster)",
                    self.class, self.threads
                ),
                ("sans-serif", 17),
            )
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(48)
            .build_cartesian_2d(0f64..nk as f64, 0f64..ymax)
            .map_err(|e| err(&e))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_desc(format!("median time / {base}'s"))
            .y_label_formatter(&|v| format!("{v:.1}"))
            .draw()
            .map_err(|e| err(&e))?;

        let colour = |ri: usize| match self.runtimes.get(ri).map(String::as_str) {
            Some("libgomp") => RGBColor(31, 119, 180),
            Some("libomp") => RGBColor(255, 127, 14),
            Some("pomp") => RGBColor(44, 160, 44),
            _ => RGBColor(148, 103, 189),
        };
        // Bars fill 80% of their group.
        let slot = 0.8 / nr as f64;
        let x0 = |ki: usize, ri: usize| ki as f64 + 0.1 + ri as f64 * slot;
        let clip = |v: f64| v.min(ymax);

        for (ri, name) in self.runtimes.iter().enumerate() {
            let c = colour(ri);
            chart
                .draw_series(bars.iter().filter(|b| b.1 == ri).map(|&(ki, _, m, ..)| {
                    Rectangle::new(
                        [(x0(ki, ri), 0.0), (x0(ki, ri) + slot * 0.9, clip(m))],
                        c.filled(),
                    )
                }))
                .map_err(|e| err(&e))?
                .label(name.as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], c.filled()));
        }
        // min..max whiskers
        chart
            .draw_series(bars.iter().map(|&(ki, ri, _, lo, hi)| {
                let x = x0(ki, ri) + slot * 0.45;
                PathElement::new(vec![(x, clip(lo)), (x, clip(hi))], BLACK.stroke_width(1))
            }))
            .map_err(|e| err(&e))?;
        // the reference level
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 1.0), (nk as f64, 1.0)],
                BLACK.mix(0.4),
            )))
            .map_err(|e| err(&e))?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .draw()
            .map_err(|e| err(&e))?;

        // Texts, placed in pixels: each bar's ratio above it, "failed" where
        // a bar is missing, and the kernel names under the groups.
        let small = ("sans-serif", 11).into_font().color(&BLACK);
        let centred = |f: TextStyle<'static>| {
            f.pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Bottom,
            ))
        };
        for &(ki, ri, m, _, hi) in &bars {
            let (px, py) = chart.backend_coord(&(x0(ki, ri) + slot * 0.45, clip(m.max(hi))));
            root.draw(&Text::new(
                format!("{m:.2}"),
                (px, py - 3),
                centred(small.clone()),
            ))
            .map_err(|e| err(&e))?;
        }
        for &(ki, ri) in &missing {
            let (px, py) = chart.backend_coord(&(x0(ki, ri) + slot * 0.45, 0.0));
            root.draw(&Text::new(
                "failed",
                (px, py - 3),
                centred(("sans-serif", 11).into_font().color(&RED)),
            ))
            .map_err(|e| err(&e))?;
        }
        for (ki, k) in self.kernels.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(ki as f64 + 0.5, 0.0));
            root.draw(&Text::new(
                k.to_uppercase(),
                (px, py + 20),
                centred(("sans-serif", 14).into_font().color(&BLACK)),
            ))
            .map_err(|e| err(&e))?;
        }
        root.present().map_err(|e| err(&e))?;
        Ok(())
    }
}

/// `s` as one CSV field: quoted when it holds a comma, a quote or a line
/// break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults() {
        let o = parse_args(&[]).unwrap().unwrap();
        assert_eq!(o.kernels, KERNELS);
        assert_eq!(o.class, "S");
        assert_eq!(o.runtimes, RUNTIMES);
        assert_eq!(o.repeat, 5);
        assert_eq!(o.nodes, [1]);
        assert!(o.threads >= 1);
        assert!(parse_args(&args(&["--help"])).unwrap().is_none());
    }

    #[test]
    fn options_both_ways() {
        let o = parse_args(&args(&[
            "--kernels=cg,EP,cg",
            "--class",
            "a",
            "--threads",
            "2",
            "--runtimes=pomp,libgomp",
            "--repeat=3",
            "--nodes=2,1,2",
            "--csv",
            "x.csv",
            "--chart=x.svg",
            "--out",
            "d",
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(o.kernels, ["cg", "ep"]);
        assert_eq!(o.class, "A");
        assert_eq!(o.threads, 2);
        assert_eq!(o.runtimes, ["pomp", "libgomp"]);
        assert_eq!(o.repeat, 3);
        assert_eq!(o.nodes, [2, 1]);
        assert_eq!(o.csv, Some(PathBuf::from("x.csv")));
        assert_eq!(o.chart, Some(PathBuf::from("x.svg")));
        assert_eq!(o.out, Some(PathBuf::from("d")));
    }

    #[test]
    fn bad_input_is_one_line_naming_the_valid_values() {
        let cases: [(&[&str], &str); 12] = [
            (
                &["--kernels", "xx"],
                "unknown kernel 'xx'; valid: ep, is, cg, mg, ft",
            ),
            (&["--kernels", ","], "at least one of: ep, is, cg, mg, ft"),
            (&["--class", "Q"], "unknown class 'Q'; valid: S, W, A, B, C"),
            (
                &["--runtimes", "icc"],
                "unknown runtime 'icc'; valid: libgomp, libomp, pomp",
            ),
            (&["--threads", "0"], "bad value '0' for --threads"),
            (&["--repeat", "0"], "bad value '0' for --repeat"),
            (&["--repeat", "-1"], "bad value '-1' for --repeat"),
            (&["--nodes", "0"], "bad value '0' for --nodes"),
            (&["--nodes", "2,x"], "bad value 'x' for --nodes"),
            (&["--nodes", ","], "--nodes needs at least one node count"),
            (&["--node", "2"], "unknown option '--node'"),
            (&["--threads"], "--threads needs a value"),
        ];
        for (a, want) in cases {
            let e = parse_args(&args(a)).unwrap_err();
            assert!(e.contains(want), "{a:?}: {e}");
            assert!(!e.contains('\n'), "{a:?}: {e}");
        }
    }

    #[test]
    fn median_and_ratio() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(ratio(Some(3.0), Some(2.0)), Some(1.5));
        assert_eq!(ratio(Some(3.0), None), None);
        assert_eq!(ratio(None, Some(2.0)), None);
        assert_eq!(ratio(Some(3.0), Some(0.0)), None);
    }

    #[test]
    fn parses_result_lines() {
        let r = parse_result(
            " NPB report...\nRESULT kernel=ep class=A threads=2 time=5.023 mops=106.9 verified=1 iters=15\n",
        )
        .unwrap();
        assert_eq!(
            r,
            ResultLine {
                kernel: "ep".into(),
                class: "A".into(),
                threads: Some(2),
                time: Some(5.023),
                mops: Some(106.9),
                verified: true,
                iters: Some(15),
            }
        );
        assert!(
            !parse_result("RESULT kernel=cg verified=0")
                .unwrap()
                .verified
        );
        assert_eq!(parse_result("nothing here"), None);
    }

    fn run(rep: usize, time: f64, ok: bool) -> Run {
        Run {
            rep,
            time: Some(time),
            mops: Some(100.0 / time),
            failure: (!ok).then(|| "not verified".to_string()),
            foreign: None,
            pages: None,
            iters: None,
        }
    }

    #[test]
    fn pages_moved_sum_the_nodes_stats() {
        let err = "noise\n\
            pomp: stats: node 0 threads 1 regions 3 pages-in 40 msgs-out 9\n\
            pomp: stats: node 1 threads 1 regions 3 pages-in 2 msgs-out 9\n";
        assert_eq!(pages_moved(err), Some(42));
        assert_eq!(pages_moved("no stats"), None);
        // Per iteration: the median over the runs that say both.
        let mut a = run(1, 1.0, true);
        (a.pages, a.iters) = (Some(300), Some(15));
        let mut b = run(2, 1.0, true);
        (b.pages, b.iters) = (Some(150), Some(15));
        let mut c = run(3, 1.0, true);
        (c.pages, c.iters) = (Some(450), Some(15));
        let s = Series {
            kernel: "cg".into(),
            runtime: "pomp".into(),
            nodes: 2,
            runs: vec![a, b, c],
        };
        assert_eq!(s.summary().unwrap().pages_per_iter, Some(20.0));
    }

    fn report() -> Report {
        let series = |runtime: &str, runs: Vec<Run>| Series {
            kernel: "cg".into(),
            runtime: runtime.into(),
            nodes: 1,
            runs,
        };
        Report {
            class: "S".into(),
            threads: 2,
            repeat: 3,
            kernels: vec!["cg".into()],
            runtimes: vec!["pomp".into(), "libgomp".into()],
            series: vec![
                // a failed run is left out of the statistics
                series(
                    "pomp",
                    vec![run(1, 3.0, true), run(2, 0.1, false), run(3, 1.0, true)],
                ),
                series(
                    "libgomp",
                    vec![run(1, 4.0, true), run(2, 4.0, true), run(3, 1.0, true)],
                ),
            ],
        }
    }

    #[test]
    fn statistics_leave_failures_out_and_compare_with_libgomp() {
        let r = report();
        assert_eq!(r.base(), Some("libgomp"));
        let pomp = r.series[0].summary().unwrap();
        assert_eq!(
            (pomp.median, pomp.min, pomp.max, pomp.verified),
            (2.0, 1.0, 3.0, 2)
        );
        assert_eq!(pomp.mops, Some((100.0 + 100.0 / 3.0) / 2.0));
        assert_eq!(r.ratio(&r.series[0]), Some(0.5));
        assert_eq!(r.ratio(&r.series[1]), Some(1.0));
        assert_eq!(r.failed_runs(), 1);
        assert_eq!(r.series[0].status(), "FAILED: not verified");
        assert_eq!(r.series[1].status(), "ok");
    }

    #[test]
    fn table_and_csv_mark_failures() {
        let r = report();
        let table = r.render();
        assert!(table.contains("vs libgomp"), "{table}");
        assert!(table.contains("FAILED: not verified"), "{table}");
        assert!(table.contains("0.50"), "{table}");
        let csv = r.csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("kernel,class,nodes,threads,runtime,"));
        assert!(lines[0].ends_with("time_1_s,time_2_s,time_3_s"));
        assert_eq!(
            lines[1],
            "cg,S,1,2,pomp,3,2,2.0000,1.0000,3.0000,66.67,0.5000,,,2: not verified,\
             3.0000,0.1000,1.0000"
        );
        assert_eq!(csv_field("a, b"), "\"a, b\"");
    }

    #[test]
    fn chart_is_svg_with_text() {
        let dir = std::env::temp_dir().join(format!("pomp-npb-chart-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("c.svg");
        let mut r = report();
        // a runtime without any verified run: drawn as "failed"
        r.runtimes.push("libomp".into());
        r.series.push(Series {
            kernel: "cg".into(),
            runtime: "libomp".into(),
            nodes: 1,
            runs: vec![run(1, 1.0, false)],
        });
        r.chart(&path).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        for t in ["CG", "libgomp", "pomp", "0.50", "failed"] {
            assert!(svg.contains(t), "{t} missing");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
