//! What several commands need: finding libpomp, and its settings.

use std::path::{Path, PathBuf};

/// libpomp.so: `$POMP_LIB` if set, else next to this executable (cargo
/// puts both in `target/<profile>/`).
pub fn libpomp() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("POMP_LIB") {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!("POMP_LIB={} does not exist", p.display()))
        };
    }
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
    let dir = exe.parent().unwrap_or(Path::new("."));
    let lib = dir.join("libpomp.so");
    if lib.is_file() {
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
