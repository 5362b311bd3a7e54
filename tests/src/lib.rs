//! Differential C conformance tests (see tests/README.md): building the C
//! programs, running them on libgomp and on pomp in each mode, with a
//! timeout, and comparing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the repository")
        .to_path_buf()
}

/// Cargo's target directory.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"))
}

/// Where libpomp.so and libpomp.a are.
pub fn lib_dir() -> PathBuf {
    target_dir().join("release")
}

/// Scratch space for built programs and their outputs.
pub fn work_dir() -> PathBuf {
    let d = target_dir().join("c-tests");
    std::fs::create_dir_all(&d).expect("create target/c-tests");
    d
}

/// Builds the release libpomp (once per process) and the alias directory
/// whose `libgomp.so.1` is pomp. Returns an error message on failure.
pub fn prepare() -> Result<&'static Prepared, String> {
    static P: OnceLock<Result<Prepared, String>> = OnceLock::new();
    P.get_or_init(|| {
        if std::env::var_os("POMP_TEST_SKIP_BUILD").is_none() {
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let st = Command::new(cargo)
                .args(["build", "--release", "-p", "pomp-abi"])
                .current_dir(repo())
                .status()
                .map_err(|e| format!("cannot run cargo: {e}"))?;
            if !st.success() {
                return Err("cargo build --release -p pomp-abi failed".into());
            }
        }
        let so = lib_dir().join("libpomp.so");
        if !so.exists() {
            return Err(format!("{} is missing", so.display()));
        }
        let alias = work_dir().join("alias");
        std::fs::create_dir_all(&alias).map_err(|e| e.to_string())?;
        let link = alias.join("libgomp.so.1");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&so, &link).map_err(|e| e.to_string())?;
        Ok(Prepared {
            so,
            alias,
            gfortran: Command::new("gfortran")
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success()),
        })
    })
    .as_ref()
    .map_err(|e| e.clone())
}

pub struct Prepared {
    pub so: PathBuf,
    pub alias: PathBuf,
    pub gfortran: bool,
}

/// How a program runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mode {
    Libgomp,
    Preload,
    Alias,
    Link,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Libgomp => "libgomp",
            Mode::Preload => "preload",
            Mode::Alias => "alias",
            Mode::Link => "link",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        Some(match s {
            "libgomp" => Mode::Libgomp,
            "preload" => Mode::Preload,
            "alias" => Mode::Alias,
            "link" => Mode::Link,
            _ => return None,
        })
    }
}

/// A test program's `// pomp-test:` directives.
#[derive(Clone, Debug)]
pub struct Directives {
    pub threads: Vec<Option<u32>>,
    pub env: Vec<(String, String)>,
    pub compare_output: bool,
    pub cflags: Vec<String>,
    pub ldflags: Vec<String>,
    pub timeout: Duration,
    pub modes: Vec<Mode>,
}

impl Default for Directives {
    fn default() -> Self {
        Directives {
            threads: vec![Some(1), Some(2), Some(4)],
            env: Vec::new(),
            compare_output: false,
            cflags: Vec::new(),
            ldflags: Vec::new(),
            timeout: Duration::from_secs(60),
            modes: vec![Mode::Preload, Mode::Alias, Mode::Link],
        }
    }
}

/// Reads the directives from the first 20 lines of `source`.
pub fn directives(source: &str) -> Result<Directives, String> {
    let mut d = Directives::default();
    for line in source.lines().take(20) {
        let Some(rest) = line
            .trim()
            .strip_prefix("// pomp-test:")
            .or_else(|| line.trim().strip_prefix("! pomp-test:"))
        else {
            continue;
        };
        for tok in rest.split_whitespace() {
            let (k, v) = tok
                .split_once('=')
                .ok_or_else(|| format!("directive {tok:?} is not key=value"))?;
            match k {
                "threads" if v == "none" => d.threads = vec![None],
                "threads" => {
                    d.threads = v
                        .split(',')
                        .map(|t| {
                            t.parse()
                                .map(Some)
                                .map_err(|_| format!("bad threads {v:?}"))
                        })
                        .collect::<Result<_, _>>()?
                }
                "env" => {
                    for pair in v.split(';').filter(|p| !p.is_empty()) {
                        let (a, b) = pair
                            .split_once('=')
                            .ok_or_else(|| format!("bad env {pair:?}"))?;
                        d.env.push((a.to_string(), b.to_string()));
                    }
                }
                "compare-output" => d.compare_output = v == "yes",
                "cflags" => d.cflags.extend(v.split(',').map(String::from)),
                "ldflags" => d.ldflags.extend(v.split(',').map(String::from)),
                "timeout" => {
                    d.timeout =
                        Duration::from_secs(v.parse().map_err(|_| format!("bad timeout {v:?}"))?)
                }
                "modes" => {
                    d.modes = v
                        .split(',')
                        .map(|m| Mode::parse(m).ok_or_else(|| format!("bad mode {m:?}")))
                        .collect::<Result<_, _>>()?
                }
                _ => return Err(format!("unknown directive key {k:?}")),
            }
        }
    }
    Ok(d)
}

/// A program built two ways: against libgomp as `gcc -fopenmp` does, and
/// linked with `-lpomp`.
pub struct Built {
    pub plain: PathBuf,
    pub linked: PathBuf,
}

/// Compiles `src` (C or Fortran) both ways into the work directory.
pub fn build(src: &Path, d: &Directives) -> Result<Built, String> {
    let stem = src
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or("bad source name")?;
    let fortran = src.extension().is_some_and(|e| e == "f90");
    let compiler = if fortran { "gfortran" } else { "gcc" };
    let dir = work_dir().join("bin");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let plain = dir.join(stem);
    let linked = dir.join(format!("{stem}.link"));
    let lib = lib_dir();
    // Each build writes a private file and renames it into place, so that
    // tests building the same program at once never run a half-written one.
    let compile = |out: &Path, extra: &[String]| -> Result<(), String> {
        static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = out.with_extension(format!("tmp{}-{n}", std::process::id()));
        let mut c = Command::new(compiler);
        c.args(["-fopenmp", "-O2", "-g"])
            .args(&d.cflags)
            .arg(src)
            .arg("-o")
            .arg(&tmp)
            .args(extra)
            .args(&d.ldflags);
        if !fortran {
            c.arg("-lm");
        }
        let o = c
            .output()
            .map_err(|e| format!("cannot run {compiler}: {e}"))?;
        if !o.status.success() {
            return Err(format!(
                "{compiler} failed for {}:\n{}",
                src.display(),
                String::from_utf8_lossy(&o.stderr)
            ));
        }
        std::fs::rename(&tmp, out).map_err(|e| format!("cannot move {}: {e}", tmp.display()))
    };
    compile(&plain, &[])?;
    compile(
        &linked,
        &[
            format!("-L{}", lib.display()),
            "-lpomp".into(),
            format!("-Wl,-rpath,{}", lib.display()),
        ],
    )?;
    Ok(Built { plain, linked })
}

/// What one run produced.
#[derive(Debug)]
pub struct Outcome {
    pub status: Option<i32>,
    pub signal: Option<i32>,
    pub timed_out: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        !self.timed_out && self.status == Some(0)
    }

    pub fn describe(&self) -> String {
        let how = if self.timed_out {
            "timed out".to_string()
        } else if let Some(s) = self.signal {
            format!("killed by signal {s}")
        } else {
            format!("exit status {}", self.status.unwrap_or(-1))
        };
        let tail = |s: &str| -> String {
            let lines: Vec<&str> = s.lines().collect();
            lines[lines.len().saturating_sub(12)..].join("\n")
        };
        format!(
            "{how}\n--- stdout (tail)\n{}\n--- stderr (tail)\n{}",
            tail(&self.stdout),
            tail(&self.stderr)
        )
    }
}

/// Runs `exe` in `mode` with `env`, killing it after `timeout`.
pub fn run(
    p: &Prepared,
    built: &Built,
    mode: Mode,
    env: &BTreeMap<String, String>,
    timeout: Duration,
) -> Result<Outcome, String> {
    run_with_args(p, built, mode, env, &[], timeout)
}

/// [`run`], with command-line arguments.
pub fn run_with_args(
    p: &Prepared,
    built: &Built,
    mode: Mode,
    env: &BTreeMap<String, String>,
    args: &[&str],
    timeout: Duration,
) -> Result<Outcome, String> {
    use std::os::unix::process::ExitStatusExt;
    let exe = if mode == Mode::Link {
        &built.linked
    } else {
        &built.plain
    };
    let out_dir = work_dir().join("out");
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tag = format!("{}-{}", std::process::id(), n);
    let (op, ep) = (
        out_dir.join(format!("{tag}.out")),
        out_dir.join(format!("{tag}.err")),
    );
    let of = std::fs::File::create(&op).map_err(|e| e.to_string())?;
    let ef = std::fs::File::create(&ep).map_err(|e| e.to_string())?;
    let mut c = Command::new(exe);
    c.args(args)
        .env_remove("LD_PRELOAD")
        .env_remove("LD_LIBRARY_PATH")
        .stdin(Stdio::null())
        .stdout(of)
        .stderr(ef);
    for (k, v) in env {
        c.env(k, v);
    }
    match mode {
        Mode::Preload => {
            c.env("LD_PRELOAD", &p.so);
        }
        Mode::Alias => {
            c.env("LD_LIBRARY_PATH", &p.alias);
        }
        Mode::Libgomp | Mode::Link => {}
    }
    let mut child = c
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
    let start = Instant::now();
    let (status, timed_out) = loop {
        if let Some(st) = child.try_wait().map_err(|e| e.to_string())? {
            break (Some(st), false);
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let st = child.wait().ok();
            break (st, true);
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = std::fs::read_to_string(&op).unwrap_or_default();
    let stderr = std::fs::read_to_string(&ep).unwrap_or_default();
    let _ = std::fs::remove_file(&op);
    let _ = std::fs::remove_file(&ep);
    Ok(Outcome {
        status: status.and_then(|s| s.code()),
        signal: status.and_then(|s| s.signal()),
        timed_out,
        stdout,
        stderr,
    })
}

/// Runs one test program through its whole matrix: every thread count, on
/// libgomp (unless `pomp_only`) and in each pomp mode. Returns a report of
/// every failure.
pub fn check_program(src: &Path, pomp_only: bool) -> Result<(), String> {
    let p = prepare()?;
    let text = std::fs::read_to_string(src).map_err(|e| e.to_string())?;
    let d = directives(&text).map_err(|e| format!("{}: {e}", src.display()))?;
    if src.extension().is_some_and(|e| e == "f90") && !p.gfortran {
        println!("skipped: gfortran is not installed");
        return Ok(());
    }
    let built = build(src, &d)?;
    let mut failures = Vec::new();
    for t in &d.threads {
        let mut env: BTreeMap<String, String> = d.env.iter().cloned().collect();
        if let Some(t) = t {
            env.insert("OMP_NUM_THREADS".into(), t.to_string());
        }
        let label = t.map_or("default".to_string(), |t| t.to_string());
        let reference = if pomp_only {
            None
        } else {
            Some(run(p, &built, Mode::Libgomp, &env, d.timeout)?)
        };
        if let Some(reference) = reference.as_ref().filter(|r| !r.passed()) {
            failures.push(format!(
                "[libgomp, {label} threads] {}",
                reference.describe()
            ));
        }
        for &mode in &d.modes {
            let o = run(p, &built, mode, &env, d.timeout)?;
            if !o.passed() {
                failures.push(format!(
                    "[pomp {}, {label} threads] {}",
                    mode.name(),
                    o.describe()
                ));
            } else if let Some(reference) = reference.as_ref() {
                if d.compare_output && o.stdout != reference.stdout {
                    failures.push(format!(
                        "[pomp {}, {label} threads] stdout differs from libgomp's\n--- libgomp\n{}\n--- pomp\n{}",
                        mode.name(),
                        reference.stdout,
                        o.stdout
                    ));
                }
            }
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n\n"))
    }
}

/// The test programs in `tests/<dir>/`: `*.c` and `*.f90`, sorted.
pub fn programs(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo().join("tests").join(dir))
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "c" || e == "f90"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_parse() {
        let d = directives(
            "/* x */\n// pomp-test: threads=2,3 env=A=1;B=x,y compare-output=yes modes=alias timeout=5\n",
        )
        .unwrap();
        assert_eq!(d.threads, vec![Some(2), Some(3)]);
        assert_eq!(
            d.env,
            vec![("A".into(), "1".into()), ("B".into(), "x,y".into())]
        );
        assert!(d.compare_output);
        assert_eq!(d.modes, vec![Mode::Alias]);
        assert_eq!(d.timeout, Duration::from_secs(5));
        assert!(directives("// pomp-test: bogus=1").is_err());
        assert_eq!(
            directives("// pomp-test: threads=none").unwrap().threads,
            vec![None]
        );
    }
}
