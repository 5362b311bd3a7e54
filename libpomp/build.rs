//! Builds the runtime's one C file: the per-thread pointer in
//! initial-exec TLS (see src/sys/tls.c).

fn main() {
    println!("cargo:rerun-if-changed=src/sys/tls.c");
    cc::Build::new()
        .file("src/sys/tls.c")
        .flag_if_supported("-fvisibility=hidden")
        .compile("pomp_tls");
}
