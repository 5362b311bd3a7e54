//! The differential conformance suite: one test per program in tests/c/,
//! and one per environment case in tests/env/cases.txt. Filter as usual:
//! `cargo test --release -p pomp-tests --test c -- loop_`.

use std::collections::BTreeMap;
use std::time::Duration;

use libtest_mimic::{Arguments, Failed, Trial};
use pomp_tests::{build, check_program, prepare, programs, repo, run, Built, Directives, Mode};

fn main() {
    let args = Arguments::from_args();
    let mut trials: Vec<Trial> = Vec::new();
    // Differential programs: libgomp and pomp must both pass. Then programs
    // for behaviour where pomp deliberately goes beyond libgomp (each says
    // what libgomp does instead): pomp only.
    for (dir, pomp_only) in [("c", false), ("pomp-only", true)] {
        for src in programs(dir) {
            let name = src.file_name().unwrap().to_string_lossy().into_owned();
            trials.push(Trial::test(format!("{dir}::{name}"), move || {
                check_program(&src, pomp_only).map_err(Failed::from)
            }));
        }
    }
    for (i, case) in env_cases().into_iter().enumerate() {
        trials.push(Trial::test(
            format!("env::{:03}::{}", i + 1, case.label()),
            move || check_env_case(&case).map_err(Failed::from),
        ));
    }
    libtest_mimic::run(&args, trials).exit();
}

/// How a case's first variable is meant to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Valid: no warning, same ICVs as libgomp.
    Valid,
    /// Malformed: one warning naming it; same ICVs as libgomp (which also
    /// falls back to the default).
    Invalid,
    /// Malformed, but libgomp keeps part of it (`OMP_SCHEDULE=dynamic,-1`,
    /// `OMP_DYNAMIC=truex`): pomp warns and uses the default, so the
    /// reference is libgomp without that variable.
    Rejected,
}

/// One line of tests/env/cases.txt.
#[derive(Clone, Debug)]
struct EnvCase {
    vars: Vec<(String, String)>,
    kind: Kind,
}

impl EnvCase {
    fn label(&self) -> String {
        let s: Vec<String> = self.vars.iter().map(|(k, v)| format!("{k}={v}")).collect();
        s.join(" ")
            .chars()
            .map(|c| if c.is_ascii_graphic() { c } else { '_' })
            .collect()
    }
}

/// Splits a case line into `NAME=value` words; single quotes keep spaces.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

fn env_cases() -> Vec<EnvCase> {
    let text = std::fs::read_to_string(repo().join("tests/env/cases.txt")).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (kind, rest) = if let Some(r) = l.strip_prefix("invalid ") {
                (Kind::Invalid, r)
            } else if let Some(r) = l.strip_prefix("rejected ") {
                (Kind::Rejected, r)
            } else {
                (Kind::Valid, l)
            };
            let vars = words(rest)
                .into_iter()
                .filter_map(|w| {
                    w.split_once('=')
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                })
                .collect();
            EnvCase { vars, kind }
        })
        .collect()
}

/// Runs env_icvs.c under the case on libgomp and on pomp (alias mode, so
/// that libgomp's own warnings do not mix in) and compares.
fn check_env_case(case: &EnvCase) -> Result<(), String> {
    let p = prepare()?;
    static BUILT: std::sync::OnceLock<Result<Built, String>> = std::sync::OnceLock::new();
    let built = BUILT
        .get_or_init(|| build(&repo().join("tests/c/env_icvs.c"), &Directives::default()))
        .as_ref()
        .map_err(Clone::clone)?;
    let env: BTreeMap<String, String> = case.vars.iter().cloned().collect();
    let mut reference_env = env.clone();
    if case.kind == Kind::Rejected {
        if let Some((k, _)) = case.vars.first() {
            reference_env.remove(k);
        }
    }
    let timeout = Duration::from_secs(30);
    let gomp = run(p, built, Mode::Libgomp, &reference_env, timeout)?;
    let pomp = run(p, built, Mode::Alias, &env, timeout)?;
    if !gomp.passed() {
        return Err(format!("libgomp run failed: {}", gomp.describe()));
    }
    if !pomp.passed() {
        return Err(format!("pomp run failed: {}", pomp.describe()));
    }
    if gomp.stdout != pomp.stdout {
        return Err(format!(
            "ICVs differ\n--- libgomp\n{}--- pomp\n{}",
            gomp.stdout, pomp.stdout
        ));
    }
    let warnings: Vec<&str> = pomp
        .stderr
        .lines()
        .filter(|l| l.starts_with("pomp:"))
        .collect();
    if case.kind != Kind::Valid {
        if warnings.len() != 1 {
            return Err(format!(
                "expected exactly one warning, got {}:\n{}",
                warnings.len(),
                pomp.stderr
            ));
        }
        let named = case
            .vars
            .iter()
            .any(|(k, v)| warnings[0].contains(k.as_str()) && warnings[0].contains(v.trim()));
        if !named {
            return Err(format!(
                "the warning does not name the variable and its value: {}",
                warnings[0]
            ));
        }
    } else if !warnings.is_empty() {
        return Err(format!("unexpected warnings:\n{}", pomp.stderr));
    }
    Ok(())
}
