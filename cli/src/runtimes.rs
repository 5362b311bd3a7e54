//! The OpenMP runtimes the benchmarks compare, and how one binary is made to
//! run on each: finding the libraries, the alias directories, and checking
//! afterwards which library a run really loaded. Shared by `pomp bench micro`
//! and `pomp bench npb`, with the repository helpers both need.
//!
//! A program built with `gcc -fopenmp` needs `libgomp.so.1`. The same binary
//! runs on
//!
//! - `libgomp`: the system libgomp.so.1 it was linked against, with
//!   `LD_LIBRARY_PATH`/`LD_PRELOAD` removed;
//! - `libomp`: LLVM's libomp.so.5 (Debian's libomp5-14), which exports the
//!   `GOMP_*` entry points under libgomp's version nodes, through an alias
//!   directory `<out>/rt-libomp/libgomp.so.1 -> libomp.so.5` put on
//!   `LD_LIBRARY_PATH`;
//! - `pomp`: `$POMP_LIB`, else `libpomp.so` next to the running executable,
//!   through `<out>/rt-pomp/libgomp.so.1` the same way.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// The runtimes the benchmarks know, in their default order.
pub const RUNTIMES: [&str; 3] = ["libgomp", "libomp", "pomp"];

/// A runtime ready to run programs on: its name, the library file, and the
/// alias directory to put on LD_LIBRARY_PATH (None: the system libgomp as
/// linked).
#[derive(Debug, Clone)]
pub struct Runtime {
    pub name: String,
    pub lib: PathBuf,
    pub alias_dir: Option<PathBuf>,
}

impl Runtime {
    /// Finds runtime `name` (one of [`RUNTIMES`]); alias directories go
    /// under `out_dir`. Err says in one line why it cannot be used.
    pub fn locate(name: &str, out_dir: &Path) -> Result<Runtime, String> {
        let (lib, alias_dir) = match name {
            "libgomp" => {
                let lib = find_system_lib("libgomp.so.1", &[])
                    .ok_or("libgomp.so.1 not found (ldconfig -p, /usr/lib/...)")?;
                (lib, None)
            }
            "libomp" => {
                let lib = find_system_lib("libomp.so.5", &llvm_lib_dirs())
                    .ok_or("libomp.so.5 not found (install Debian's libomp5-14)")?;
                let dir = make_alias(out_dir, name, &lib)?;
                (lib, Some(dir))
            }
            "pomp" => {
                let lib = crate::common::libpomp()?;
                let dir = make_alias(out_dir, name, &lib)?;
                (lib, Some(dir))
            }
            other => match parse_custom(other)? {
                Some((label, path)) => {
                    let dir = make_alias(out_dir, label, path)?;
                    return Ok(Runtime {
                        name: label.to_string(),
                        lib: path.to_path_buf(),
                        alias_dir: Some(dir),
                    });
                }
                None => {
                    return Err(format!(
                        "unknown runtime '{other}'; valid: {}, or LABEL=PATH",
                        RUNTIMES.join(", ")
                    ))
                }
            },
        };
        Ok(Runtime {
            name: name.to_string(),
            lib,
            alias_dir,
        })
    }

    /// Sets up `cmd` to run on this runtime: no inherited `LD_PRELOAD`, and
    /// `LD_LIBRARY_PATH` holding only the alias directory, if any.
    pub fn apply(&self, cmd: &mut Command) {
        cmd.env_remove("LD_PRELOAD").env_remove("LD_LIBRARY_PATH");
        if let Some(dir) = &self.alias_dir {
            cmd.env("LD_LIBRARY_PATH", dir);
        }
    }

    /// Checks that `loaded`, the library a run reported, is this runtime's;
    /// Err says what was loaded instead.
    pub fn check_loaded(&self, loaded: &Path) -> Result<(), String> {
        let want = std::fs::canonicalize(&self.lib).unwrap_or_else(|_| self.lib.clone());
        let got = std::fs::canonicalize(loaded).unwrap_or_else(|_| loaded.to_path_buf());
        if got == want {
            Ok(())
        } else {
            Err(format!(
                "the program loaded {} instead of {}",
                got.display(),
                want.display()
            ))
        }
    }
}

/// A runtime given as `LABEL=PATH`: another build of a libgomp-ABI library
/// (say, pomp from another commit) under a label of its own, for A/B runs.
/// Ok(None): `spec` has no `=`. Err: a bad label or a missing file.
pub fn parse_custom(spec: &str) -> Result<Option<(&str, &Path)>, String> {
    let Some((label, path)) = spec.split_once('=') else {
        return Ok(None);
    };
    let label_ok = !label.is_empty()
        && label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !label_ok || RUNTIMES.contains(&label) {
        return Err(format!(
            "bad runtime label '{label}' in '{spec}': use letters, digits, '-' or '_', \
             and not one of {}",
            RUNTIMES.join(", ")
        ));
    }
    let path = Path::new(path);
    if !path.is_file() {
        return Err(format!(
            "runtime '{label}': {} is not a file",
            path.display()
        ));
    }
    Ok(Some((label, path)))
}

// ---------------------------------------------------------------------------
// Which library a run loaded, from the dynamic loader's own trace
// ---------------------------------------------------------------------------

/// Makes the dynamic loader of `cmd`'s process report, on stderr, each
/// library it initialises (`LD_DEBUG=libs`). Costs only at start-up, before
/// any timed section.
pub fn trace_loader(cmd: &mut Command) {
    cmd.env("LD_DEBUG", "libs").env_remove("LD_DEBUG_OUTPUT");
}

/// Whether `line` is one of the loader's trace lines: `  12345:\t...`.
pub fn is_loader_line(line: &str) -> bool {
    let t = line.trim_start();
    match t.split_once(':') {
        Some((pid, rest)) => {
            !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) && rest.starts_with('\t')
        }
        None => false,
    }
}

/// The `libgomp.so.1` the loader initialised, from a stderr traced with
/// [`trace_loader`]: the path in its `calling init: PATH` line (the alias
/// path, for an aliased runtime; canonicalise it to compare).
pub fn loaded_libgomp(stderr: &str) -> Option<PathBuf> {
    stderr
        .lines()
        .filter(|l| is_loader_line(l))
        .filter_map(|l| l.split_once("calling init: ").map(|(_, p)| p.trim()))
        .map(PathBuf::from)
        .find(|p| p.file_name().is_some_and(|n| n == "libgomp.so.1"))
}

/// Every library the loader initialised, in a stderr traced with
/// [`trace_loader`] (of every process that wrote there).
pub fn initialised(stderr: &str) -> Vec<PathBuf> {
    stderr
        .lines()
        .filter(|l| is_loader_line(l))
        .filter_map(|l| {
            l.split_once("calling init: ")
                .map(|(_, p)| PathBuf::from(p.trim()))
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Finding the libraries
// ---------------------------------------------------------------------------

/// The path `ldconfig -p` gives for `soname`, preferring this machine's
/// architecture.
fn ldconfig_lookup(soname: &str) -> Option<PathBuf> {
    let out = Command::new("ldconfig")
        .arg("-p")
        .output()
        .ok()
        .or_else(|| Command::new("/sbin/ldconfig").arg("-p").output().ok())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let arch_tag = match std::env::consts::ARCH {
        "x86_64" => Some("x86-64"),
        "aarch64" => Some("AArch64"),
        _ => None,
    };
    let mut first = None;
    for line in text.lines() {
        // "\tlibgomp.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libgomp.so.1"
        let line = line.trim();
        let Some((left, path)) = line.split_once(" => ") else {
            continue;
        };
        if left.split_whitespace().next() != Some(soname) {
            continue;
        }
        let path = PathBuf::from(path.trim());
        if !path.exists() {
            continue;
        }
        match arch_tag {
            Some(tag) if left.contains(tag) => return Some(path),
            _ => {
                first.get_or_insert(path);
            }
        }
    }
    first
}

/// A system library: ldconfig's answer, else the usual directories.
fn find_system_lib(soname: &str, extra_dirs: &[PathBuf]) -> Option<PathBuf> {
    if let Some(p) = ldconfig_lookup(soname) {
        return Some(p);
    }
    let multiarch = format!("{}-linux-gnu", std::env::consts::ARCH);
    let mut dirs: Vec<PathBuf> = vec![
        Path::new("/usr/lib").join(&multiarch),
        Path::new("/lib").join(&multiarch),
        PathBuf::from("/usr/lib64"),
        PathBuf::from("/lib64"),
        PathBuf::from("/usr/local/lib"),
        PathBuf::from("/usr/lib"),
    ];
    dirs.extend_from_slice(extra_dirs);
    dirs.into_iter()
        .map(|d| d.join(soname))
        .find(|p| p.exists())
}

/// `/usr/lib/llvm-*/lib`, newest version first: where Debian's libomp lives.
fn llvm_lib_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib")
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let v = name.strip_prefix("llvm-")?.parse::<u32>().ok()?;
                    Some((v, e.path().join("lib")))
                })
                .collect()
        })
        .unwrap_or_default();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.0));
    dirs.into_iter().map(|(_, d)| d).collect()
}

/// Makes `out_dir/rt-<name>/libgomp.so.1` a symlink to `lib`; returns the
/// directory.
fn make_alias(out_dir: &Path, name: &str, lib: &Path) -> Result<PathBuf, String> {
    let dir = out_dir.join(format!("rt-{name}"));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let link = dir.join("libgomp.so.1");
    let target = std::fs::canonicalize(lib).map_err(|e| format!("{}: {e}", lib.display()))?;
    if std::fs::read_link(&link).ok().as_deref() != Some(target.as_path()) {
        if link.symlink_metadata().is_ok() {
            std::fs::remove_file(&link)
                .map_err(|e| format!("cannot replace {}: {e}", link.display()))?;
        }
        std::os::unix::fs::symlink(&target, &link)
            .map_err(|e| format!("cannot create {}: {e}", link.display()))?;
    }
    Ok(dir)
}

// ---------------------------------------------------------------------------
// The repository
// ---------------------------------------------------------------------------

/// The repository root: the nearest ancestor of the current directory, or
/// else of this executable, that holds `npb/` and `benches/micro/`.
pub fn repo_root() -> Result<PathBuf, String> {
    let mut starts = Vec::new();
    if let Ok(d) = std::env::current_dir() {
        starts.push(d);
    }
    if let Ok(e) = std::env::current_exe() {
        starts.push(e);
    }
    for s in &starts {
        for a in s.ancestors() {
            if a.join("npb").is_dir() && a.join("benches").join("micro").is_dir() {
                return Ok(a.to_path_buf());
            }
        }
    }
    Err(
        "cannot find the pomp repository (a directory with npb/ and benches/micro/); \
         run from inside it"
            .into(),
    )
}

/// A file's modification time, None if it cannot be read.
pub fn mtime(p: &Path) -> Option<SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_libgomp_in_loader_trace() {
        let stderr = "     19771:\tcalling init: /lib/x86_64-linux-gnu/libc.so.6\n\
                      hello from the program: calling init: /x/libgomp.so.1\n\
                      \x20    19771:\tcalling init: /tmp/rt/libgomp.so.1\n\
                      \x20    19771:\tcalling fini: /tmp/other/libgomp.so.1 [0]\n";
        assert_eq!(
            loaded_libgomp(stderr),
            Some(PathBuf::from("/tmp/rt/libgomp.so.1"))
        );
        assert_eq!(loaded_libgomp("no trace\n"), None);
        assert!(is_loader_line("  42:\tfind library=x"));
        assert!(!is_loader_line("time: 4 s"));
        assert!(!is_loader_line(":\tx"));
    }
}
