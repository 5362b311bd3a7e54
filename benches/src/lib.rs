//! Benches of pomp's Rust parts live in `benches/benches/`; the C
//! construct-overhead microbenchmarks in `benches/micro/`.
