//! The NAS Parallel Benchmark kernels (npb/) verify at class S on libgomp
//! and on pomp (preloaded, and through an alias directory), at 2 threads; and
//! `pomp bench npb` runs them, and rejects bad input with a one-line error
//! naming the valid values. Correctness only: no timing is checked.
//!
//! `cargo test --release -p pomp-tests --test npb`

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use pomp_tests::{lib_dir, prepare, repo, target_dir};

const KERNELS: [&str; 5] = ["ep", "is", "cg", "mg", "ft"];

/// Longest a class S kernel may take: seconds on libgomp, but 2-thread runs
/// on a 2-CPU machine that other jobs keep busy can be 100x slower.
const TIMEOUT: Duration = Duration::from_secs(180);

/// Runs of the kernels take the whole machine at 2 threads: one at a time,
/// or spinning waiters of concurrent tests would starve one another.
fn machine() -> MutexGuard<'static, ()> {
    static M: Mutex<()> = Mutex::new(());
    M.lock().unwrap_or_else(|e| e.into_inner())
}

/// The kernels built (once per process) into target/npb-tests/bin.
fn kernels() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let bin = target_dir().join("npb-tests").join("bin");
        let out = Command::new("make")
            .arg("-s")
            .arg("-C")
            .arg(repo().join("npb"))
            .arg(format!("BIN={}", bin.display()))
            .env_remove("CFLAGS")
            .env_remove("CC")
            .env_remove("MAKEFLAGS")
            .output()
            .expect("run make");
        assert!(
            out.status.success(),
            "make -C npb failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        bin
    })
}

/// target/release/pomp, built once per process (unless
/// POMP_TEST_SKIP_BUILD is set, as for the library).
fn pomp_cli() -> PathBuf {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        prepare().expect("libpomp builds");
        if std::env::var_os("POMP_TEST_SKIP_BUILD").is_none() {
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let st = Command::new(cargo)
                .args(["build", "--release", "-p", "pomp-cli"])
                .current_dir(repo())
                .status()
                .expect("run cargo");
            assert!(st.success(), "cargo build --release -p pomp-cli failed");
        }
    });
    let exe = lib_dir().join("pomp");
    assert!(exe.is_file(), "{} is missing", exe.display());
    exe
}

/// Runs `cmd` to its end, killing it after [`TIMEOUT`].
fn run_with_timeout(cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the program");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("collect the output")
}

#[derive(Clone, Copy, Debug)]
enum Runtime {
    Libgomp,
    PompPreload,
    PompAlias,
}

/// Runs `kernel` class S on 2 threads on `rt`; Err describes a failure.
fn run_kernel(kernel: &str, rt: Runtime) -> Result<(), String> {
    let p = prepare()?;
    let mut cmd = Command::new(kernels().join(kernel));
    cmd.arg("S")
        .env("OMP_NUM_THREADS", "2")
        // the loader says which libraries it initialised: see below
        .env("LD_DEBUG", "libs")
        .env_remove("LD_DEBUG_OUTPUT")
        .env_remove("LD_PRELOAD")
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("NPB_CLASS");
    match rt {
        Runtime::Libgomp => {}
        Runtime::PompPreload => {
            cmd.env("LD_PRELOAD", &p.so);
        }
        Runtime::PompAlias => {
            cmd.env("LD_LIBRARY_PATH", &p.alias);
        }
    }
    let out = run_with_timeout(&mut cmd);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let what = format!("{kernel} S on {rt:?}");
    let result = stdout
        .lines()
        .find(|l| l.starts_with("RESULT "))
        .unwrap_or("");
    if !out.status.success() || !result.contains(" verified=1") {
        let tail: Vec<&str> = stdout.lines().rev().take(15).collect();
        return Err(format!(
            "{what}: {} (exit status 0 and verified=1 wanted)\n{}",
            out.status,
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        ));
    }
    if !result.contains(&format!("kernel={kernel} class=S threads=2 ")) {
        return Err(format!("{what}: unexpected {result:?}"));
    }
    // It must have run on the runtime asked for.
    let inits: Vec<PathBuf> = stderr
        .lines()
        .filter_map(|l| l.split_once("calling init: ").map(|(_, p)| p.trim()))
        .map(PathBuf::from)
        .collect();
    let so = std::fs::canonicalize(&p.so).map_err(|e| e.to_string())?;
    let is_pomp = |p: &PathBuf| std::fs::canonicalize(p).is_ok_and(|c| c == so);
    // The system's libgomp.so.1, by the name the program needs.
    let is_gomp = |p: &PathBuf| p.file_name().is_some_and(|n| n == "libgomp.so.1") && !is_pomp(p);
    let ok = match rt {
        Runtime::Libgomp => inits.iter().any(is_gomp) && !inits.iter().any(is_pomp),
        Runtime::PompPreload => inits.iter().any(is_pomp),
        Runtime::PompAlias => inits.iter().any(is_pomp) && !inits.iter().any(is_gomp),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what}: not run on the runtime asked for; the loader initialised {inits:?}"
        ))
    }
}

fn kernel_verifies(kernel: &str) {
    let _m = machine();
    let failures: Vec<String> = [Runtime::Libgomp, Runtime::PompPreload, Runtime::PompAlias]
        .into_iter()
        .filter_map(|rt| run_kernel(kernel, rt).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn ep_verifies() {
    kernel_verifies("ep");
}

#[test]
fn is_verifies() {
    kernel_verifies("is");
}

#[test]
fn cg_verifies() {
    kernel_verifies("cg");
}

#[test]
fn mg_verifies() {
    kernel_verifies("mg");
}

#[test]
fn ft_verifies() {
    kernel_verifies("ft");
}

#[test]
fn kernel_list_is_complete() {
    for k in KERNELS {
        assert!(repo().join("npb").join(format!("{k}.c")).is_file(), "{k}");
    }
}

// ---------------------------------------------------------------------------
// The runner
// ---------------------------------------------------------------------------

/// `pomp bench npb ARGS` with `env` set.
fn runner(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(pomp_cli());
    cmd.args(["bench", "npb"]).args(args).current_dir(repo());
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_with_timeout(&mut cmd)
}

/// Asserts that `pomp bench npb ARGS` fails at once with exactly one line
/// on stderr, containing each of `want`.
fn one_line_error(args: &[&str], env: &[(&str, &str)], want: &[&str]) {
    let out = runner(args, env);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(out.status.code().is_some(), "{args:?}: {}", out.status);
    assert_eq!(stderr.lines().count(), 1, "{args:?}: stderr {stderr:?}");
    assert!(stderr.starts_with("pomp: "), "{args:?}: {stderr:?}");
    for w in want {
        assert!(stderr.contains(w), "{args:?}: {stderr:?} lacks {w:?}");
    }
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr:?}");
    assert!(out.stdout.is_empty(), "{args:?}: printed on stdout");
}

#[test]
fn runner_rejects_unknown_kernel() {
    one_line_error(
        &["--kernels", "ep,xx"],
        &[],
        &["unknown kernel 'xx'", "valid: ep, is, cg, mg, ft"],
    );
}

#[test]
fn runner_rejects_unknown_class() {
    one_line_error(
        &["--class", "Z"],
        &[],
        &["unknown class 'Z'", "valid: S, W, A, B, C"],
    );
}

#[test]
fn runner_rejects_unknown_runtime() {
    one_line_error(
        &["--runtimes", "libgomp,icc"],
        &[],
        &["unknown runtime 'icc'", "valid: libgomp, libomp, pomp"],
    );
}

#[test]
fn runner_rejects_zero_counts() {
    one_line_error(&["--threads", "0"], &[], &["'0'", "--threads", ">= 1"]);
    one_line_error(&["--repeat=0"], &[], &["'0'", "--repeat", ">= 1"]);
    one_line_error(&["--threads", "two"], &[], &["'two'", "--threads"]);
}

#[test]
fn runner_rejects_unknown_options() {
    one_line_error(&["--node", "2"], &[], &["unknown option '--node'"]);
    one_line_error(&["--nodes", "0"], &[], &["'0'", "--nodes", "1 to 16"]);
    one_line_error(&["--nodes", "1,17"], &[], &["'17'", "--nodes"]);
    one_line_error(&["--class"], &[], &["--class needs a value"]);
}

#[test]
fn runner_without_any_runtime_is_an_error() {
    let out = runner(
        &["--runtimes", "pomp", "--kernels", "ep"],
        &[("POMP_LIB", "/nonexistent/libpomp.so")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("skipping pomp: POMP_LIB=/nonexistent"),
        "{stderr}"
    );
    assert!(stderr.contains("no runtime to benchmark"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn runner_help() {
    let out = runner(&["--help"], &[]);
    assert!(out.status.success());
    let usage = String::from_utf8_lossy(&out.stdout);
    for w in [
        "--kernels",
        "--class",
        "--threads",
        "--runtimes",
        "--repeat",
        "--nodes",
        "--csv",
        "--chart",
    ] {
        assert!(usage.contains(w), "usage lacks {w}");
    }
}

/// A real (short) run: every run verifies, a missing runtime is skipped with
/// one line, and the CSV and the chart are written where asked.
#[test]
fn runner_runs_kernels_and_writes_csv_and_chart() {
    let _m = machine();
    let dir = target_dir().join("npb-tests").join("runner");
    let _ = std::fs::remove_dir_all(&dir);
    let so = prepare().expect("libpomp builds").so.clone();
    let out = runner(
        &[
            "--kernels=is,ep",
            "--class=S",
            "--threads=2",
            "--repeat=1",
            "--runtimes=libgomp,pomp",
            "--out",
            dir.to_str().unwrap(),
        ],
        &[("POMP_LIB", so.to_str().unwrap())],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    for line in [
        "[1/4] is S libgomp: ",
        "[2/4] is S pomp: ",
        "[4/4] ep S pomp: ",
    ] {
        assert!(
            stderr.contains(line),
            "no progress line {line:?}:\n{stderr}"
        );
    }
    assert!(stdout.contains("vs libgomp"), "{stdout}");
    let csv = std::fs::read_to_string(dir.join("npb.csv")).expect("npb.csv written");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 5, "{csv}");
    assert!(rows[0].starts_with("kernel,class,nodes,threads,runtime,runs,verified,"));
    for (row, (k, rt)) in rows[1..].iter().zip([
        ("is", "libgomp"),
        ("is", "pomp"),
        ("ep", "libgomp"),
        ("ep", "pomp"),
    ]) {
        assert!(row.starts_with(&format!("{k},S,1,2,{rt},1,1,")), "{row}");
    }
    let svg = std::fs::read_to_string(dir.join("npb.svg")).expect("npb.svg written");
    assert!(svg.starts_with("<svg") && svg.contains("pomp"), "{svg}");

    // A runtime that cannot be found is skipped, in one line.
    let out = runner(
        &[
            "--kernels=is",
            "--threads=2",
            "--repeat=1",
            "--runtimes=pomp,libgomp",
            "--out",
            dir.to_str().unwrap(),
        ],
        &[("POMP_LIB", "/nonexistent/libpomp.so")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let skips: Vec<&str> = stderr.lines().filter(|l| l.contains("skipping")).collect();
    assert_eq!(skips.len(), 1, "{stderr}");
    assert!(skips[0].contains("pomp"), "{stderr}");
}

/// The main job's shape: kernels on libgomp and on pomp across 2 local
/// nodes (`pomp run -n 2`), each run verified, one CSV row per series with
/// its node count.
#[test]
fn runner_runs_kernels_across_nodes() {
    let _m = machine();
    let dir = target_dir().join("npb-tests").join("runner-nodes");
    let _ = std::fs::remove_dir_all(&dir);
    let so = prepare().expect("libpomp builds").so.clone();
    let out = runner(
        &[
            "--kernels=ep,cg",
            "--class=S",
            "--threads=2",
            "--repeat=1",
            "--runtimes=libgomp,pomp",
            "--nodes=1,2",
            "--out",
            dir.to_str().unwrap(),
        ],
        &[("POMP_LIB", so.to_str().unwrap())],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stderr.contains("[3/6] ep S pomp@2n: "), "{stderr}");
    let csv = std::fs::read_to_string(dir.join("npb.csv")).expect("npb.csv written");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 7, "{csv}");
    for (row, (k, n, rt)) in rows[1..].iter().zip([
        ("ep", 1, "libgomp"),
        ("ep", 1, "pomp"),
        ("ep", 2, "pomp@2n"),
        ("cg", 1, "libgomp"),
        ("cg", 1, "pomp"),
        ("cg", 2, "pomp@2n"),
    ]) {
        assert!(row.starts_with(&format!("{k},S,{n},2,{rt},1,1,")), "{row}");
    }
}

/// Every kernel, class S, verifies across 2 and 3 local nodes (one thread
/// per node: `pomp run -n N`, OMP_NUM_THREADS=N), the binaries unchanged
/// (the Makefile links them with -z now).
#[test]
fn kernels_verify_across_nodes() {
    let _m = machine();
    let heap =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--release", "-p", "pomp-heap"])
            .current_dir(repo())
            .status()
            .expect("run cargo");
    assert!(heap.success(), "building libpomp_heap.so");
    let cli = pomp_cli();
    let mut failures = Vec::new();
    for nodes in [2, 3] {
        for kernel in KERNELS {
            let out = run_with_timeout(
                Command::new(&cli)
                    .args([
                        "run",
                        "-n",
                        &nodes.to_string(),
                        "--threads-per-node",
                        "1",
                        "--",
                    ])
                    .arg(kernels().join(kernel))
                    .arg("S")
                    .env("OMP_NUM_THREADS", nodes.to_string())
                    .env_remove("NPB_CLASS"),
            );
            let stdout = String::from_utf8_lossy(&out.stdout);
            let want = format!("RESULT kernel={kernel} class=S threads={nodes} ");
            let ok = out.status.success()
                && stdout
                    .lines()
                    .any(|l| l.starts_with(&want) && l.contains(" verified=1"));
            if !ok {
                failures.push(format!(
                    "{kernel} S on {nodes} nodes: {}: {}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr)
                        .lines()
                        .rev()
                        .take(3)
                        .collect::<Vec<_>>()
                        .join(" | ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
