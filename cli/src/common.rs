//! What several commands need: finding libpomp and the repository.

use std::path::{Path, PathBuf};

/// libpomp.so: `$POMP_LIB` if set, else next to this executable (cargo
/// puts both in `target/<profile>/`).
pub fn libpomp() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("POMP_LIB") {
        let p = PathBuf::from(p);
        return if p.exists() {
            Ok(p)
        } else {
            Err(format!("POMP_LIB={} does not exist", p.display()))
        };
    }
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
    let dir = exe.parent().unwrap_or(Path::new("."));
    let lib = dir.join("libpomp.so");
    if lib.exists() {
        Ok(lib)
    } else {
        Err(format!(
            "{} not found; build it with `cargo build --release` (or set POMP_LIB)",
            lib.display()
        ))
    }
}

/// The `OMP_DISPLAY_ENV=verbose` text pomp would print in this environment.
pub fn display_env() -> String {
    let g = pomp::icv::global();
    format!("{}\n", pomp::env::display(g, &g.initial, true))
}

/// The repository root: the nearest ancestor of the current directory, or
/// of this executable, that holds `npb/` and `benches/`.
pub fn repo_root() -> Result<PathBuf, String> {
    let mut starts = Vec::new();
    if let Ok(d) = std::env::current_dir() {
        starts.push(d);
    }
    if let Ok(e) = std::env::current_exe() {
        starts.push(e);
    }
    for s in starts {
        for a in s.ancestors() {
            if a.join("npb").is_dir() && a.join("benches").is_dir() {
                return Ok(a.to_path_buf());
            }
        }
    }
    Err(
        "cannot find the pomp repository (a directory with npb/ and benches/); run from inside it"
            .into(),
    )
}
