//! libpomp.so's exported symbols against libgomp's (abi/libgomp-exports.txt):
//! every symbol pomp exports that libgomp has must carry libgomp's version
//! node, and pomp exports nothing else but its documented extensions.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use pomp_tests::{prepare, repo};

/// Symbols pomp exports that GCC 12's libgomp does not (OpenMP 4.5 routines
/// libgomp lacks; LLVM's libomp has them).
const EXTENSIONS: &[&str] = &["omp_init_lock_with_hint", "omp_init_nest_lock_with_hint"];

/// `version symbol` pairs of the dynamic symbols a library defines.
fn exports(lib: &std::path::Path) -> BTreeSet<(String, String)> {
    let out = Command::new("objdump")
        .arg("-T")
        .arg(lib)
        .output()
        .expect("objdump runs");
    assert!(out.status.success(), "objdump -T {} failed", lib.display());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains(" DF ") || l.contains(" DO "))
        .filter(|l| !l.contains("*UND*"))
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let (ver, sym) = (f[f.len() - 2], f[f.len() - 1]);
            let ver = ver.trim_matches(|c| c == '(' || c == ')');
            (ver.starts_with("OMP_") || ver.starts_with("GOMP_"))
                .then(|| (ver.to_string(), sym.to_string()))
        })
        .collect()
}

#[test]
fn every_export_has_libgomps_version() {
    let p = prepare().expect("libpomp builds");
    let ours = exports(&p.so);
    let reference: BTreeSet<(String, String)> =
        std::fs::read_to_string(repo().join("abi/libgomp-exports.txt"))
            .expect("abi/libgomp-exports.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let (v, s) = l.split_once(' ').expect("version symbol");
                (v.to_string(), s.trim().to_string())
            })
            .collect();
    let ref_versions: BTreeMap<&str, BTreeSet<&str>> =
        reference.iter().fold(BTreeMap::new(), |mut m, (v, s)| {
            m.entry(s.as_str()).or_default().insert(v.as_str());
            m
        });
    let mut wrong = Vec::new();
    for (v, s) in &ours {
        match ref_versions.get(s.as_str()) {
            Some(vs) if vs.contains(v.as_str()) => {}
            Some(vs) => wrong.push(format!("{s}@{v}, libgomp has {vs:?}")),
            None if EXTENSIONS.contains(&s.as_str()) => {}
            None => wrong.push(format!("{s}@{v} is not a libgomp symbol")),
        }
    }
    assert!(wrong.is_empty(), "wrong versions:\n{}", wrong.join("\n"));
    // Both versions of the lock routines are there.
    for s in ["omp_set_lock", "omp_set_nest_lock", "omp_test_nest_lock_"] {
        for v in ["OMP_1.0", "OMP_3.0"] {
            assert!(
                ours.contains(&(v.to_string(), s.to_string())),
                "{s}@{v} is missing"
            );
        }
    }
    let missing: Vec<&String> = reference
        .iter()
        .filter(|r| !ours.contains(r))
        .map(|(_, s)| s)
        .collect();
    println!(
        "pomp exports {} of libgomp's {} non-OpenACC symbols; not yet: {missing:?}",
        reference.len() - missing.len(),
        reference.len()
    );
}

#[test]
fn nothing_but_the_api_is_exported() {
    let p = prepare().expect("libpomp builds");
    let out = Command::new("objdump")
        .arg("-T")
        .arg(&p.so)
        .output()
        .unwrap();
    let leaked: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| (l.contains(" DF ") || l.contains(" DO ")) && !l.contains("*UND*"))
        .filter_map(|l| l.split_whitespace().last().map(String::from))
        .filter(|s| !s.starts_with("GOMP_") && !s.starts_with("omp_"))
        .collect();
    assert!(leaked.is_empty(), "internal symbols exported: {leaked:?}");
}
