//! Builds the C part of the ABI (variadic entry points) and gives
//! libpomp.so its soname and libgomp's symbol versions.

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    println!("cargo:rerun-if-changed=src/varargs.c");
    println!("cargo:rerun-if-changed=libgomp.map");
    cc::Build::new()
        .file("src/varargs.c")
        .flag_if_supported("-fvisibility=default")
        .compile("pomp_varargs");
    // The map is applied by abi/cc-wrap.sh, which drops rustc's own version
    // script for this link (see .cargo/config.toml).
    println!("cargo:rustc-cdylib-link-arg=-Wl,--version-script={dir}/libgomp.map");
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libpomp.so");
}
