//! The construct benchmark (`benches/micro/syncbench.c`) checks the result
//! of every construct it times, so that a broken runtime cannot pass for a
//! fast one. These tests run every construct for a few short measurements
//! on libgomp and on pomp, at 1, 2 and 3 threads (3 oversubscribes a 2-CPU
//! machine), and require each run to finish with its checks passed and a
//! result line for every construct: the bench's own hand-shakes (those of
//! `lock_handoff`) and checks are tested as the C conformance programs
//! are. No timing is compared.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use pomp_tests::{build, prepare, repo, run_with_args, Built, Directives, Mode};

/// Short measurements: enough to run every construct's code and checks.
const SHORT: &[&str] = &["--target-us", "100", "--outer", "2"];

/// Runs the bench with `constructs` on libgomp and on pomp (alias) at each
/// of `threads`, and returns every failure.
fn run_bench(constructs: &[String], threads: &[u32], timeout: Duration) -> Vec<String> {
    let p = prepare().expect("libpomp builds");
    let built = built();
    let joined = constructs.join(",");
    let mut args = SHORT.to_vec();
    args.extend(["--constructs", joined.as_str()]);
    let mut failures = Vec::new();
    for &t in threads {
        for mode in [Mode::Libgomp, Mode::Alias] {
            let env = BTreeMap::from([("OMP_NUM_THREADS".to_string(), t.to_string())]);
            let what = format!("{} at {t} thread(s)", mode.name());
            match run_with_args(p, built, mode, &env, &args, timeout) {
                Err(e) => failures.push(format!("{what}: {e}")),
                Ok(o) if !o.passed() => failures.push(format!("{what}: {}", o.describe())),
                Ok(o) => {
                    for c in constructs {
                        let line = format!("construct={c} threads={t} ");
                        if !o.stdout.lines().any(|l| l.starts_with(&line)) {
                            failures.push(format!("{what}: no result line for {c}"));
                        }
                    }
                }
            }
        }
    }
    failures
}

/// The bench, built once (after libpomp, for its `-lpomp` build), with
/// warnings as errors.
fn built() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| {
        prepare().expect("libpomp builds");
        let d = Directives {
            cflags: vec!["-Wall".into(), "-Werror".into()],
            ..Directives::default()
        };
        build(&repo().join("benches/micro/syncbench.c"), &d).expect("syncbench builds")
    })
}

/// The bench's construct names (`--list`).
fn constructs() -> Vec<String> {
    list(&built().plain)
}

fn list(exe: &Path) -> Vec<String> {
    let out = Command::new(exe)
        .arg("--list")
        .env("OMP_NUM_THREADS", "1")
        .output()
        .expect("syncbench --list runs");
    assert!(out.status.success(), "syncbench --list failed");
    let names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    assert!(names.len() > 20, "syncbench --list gave {names:?}");
    names
}

/// Constructs whose one unit takes a large part of a second on some
/// runtime (fib(30) as tasks): run alone, at 2 threads.
const LONG: &[&str] = &["task_fib30"];

#[test]
fn every_construct_checks_out_on_libgomp_and_pomp() {
    let short: Vec<String> = constructs()
        .into_iter()
        .filter(|c| !LONG.contains(&c.as_str()))
        .collect();
    assert!(short.iter().any(|c| c == "lock_handoff"));
    let failures = run_bench(&short, &[1, 2, 3], Duration::from_secs(120));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_long_constructs_check_out_on_libgomp_and_pomp() {
    let all = constructs();
    let long: Vec<String> = LONG.iter().map(|s| s.to_string()).collect();
    for c in &long {
        assert!(all.contains(c), "{c} is no longer a construct of the bench");
    }
    let failures = run_bench(&long, &[2], Duration::from_secs(120));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
