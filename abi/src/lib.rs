//! The C ABI of pomp: every `GOMP_*` and `omp_*` symbol a `gcc -fopenmp`
//! program calls, as thin `extern "C"` shims over the `pomp` runtime crate.
//! Built as `libpomp.so` (exporting each symbol under libgomp's version
//! node, see `libgomp.map`) and `libpomp.a`.
//!
//! One module per libgomp source file, each naming the symbols and version
//! nodes it covers. A shim decodes its arguments and calls the runtime,
//! nothing else. Panics never unwind into C: the release profile aborts on
//! panic, and an `extern "C"` function that panics aborts in any profile.
#![allow(non_snake_case)]

mod affinity;
mod alloc;
mod barrier;
mod critical;
mod error;
mod fortran;
mod icv;
mod lock;
#[path = "loop.rs"]
mod loop_long;
mod loop_ull;
mod ordered;
mod parallel;
mod reduction;
mod sections;
mod single;
mod target;
mod task;
mod teams;

/// Reads the environment when the library is loaded, as libgomp does, so
/// that `OMP_DISPLAY_ENV` and warnings about bad values come first.
extern "C" fn initialize() {
    rt::init();
}

#[used]
#[link_section = ".init_array"]
static INITIALIZE: extern "C" fn() = initialize;

// Symbols libgomp exports in two versions: the OpenMP 2.5 locks of OMP_1.0
// and the current ones of OMP_3.0 (the default, `@@`). Each version is a
// `pomp_*_25` / `pomp_*_30` function in lock.rs / fortran.rs; these
// directives give them their public names. `libgomp.map` lists the names in
// both nodes and hides the `pomp_*` ones.
std::arch::global_asm!(
    ".symver pomp_omp_init_lock_30, omp_init_lock@@OMP_3.0",
    ".symver pomp_omp_destroy_lock_30, omp_destroy_lock@@OMP_3.0",
    ".symver pomp_omp_set_lock_30, omp_set_lock@@OMP_3.0",
    ".symver pomp_omp_unset_lock_30, omp_unset_lock@@OMP_3.0",
    ".symver pomp_omp_test_lock_30, omp_test_lock@@OMP_3.0",
    ".symver pomp_omp_init_nest_lock_30, omp_init_nest_lock@@OMP_3.0",
    ".symver pomp_omp_destroy_nest_lock_30, omp_destroy_nest_lock@@OMP_3.0",
    ".symver pomp_omp_set_nest_lock_30, omp_set_nest_lock@@OMP_3.0",
    ".symver pomp_omp_unset_nest_lock_30, omp_unset_nest_lock@@OMP_3.0",
    ".symver pomp_omp_test_nest_lock_30, omp_test_nest_lock@@OMP_3.0",
    ".symver pomp_omp_init_lock_25, omp_init_lock@OMP_1.0",
    ".symver pomp_omp_destroy_lock_25, omp_destroy_lock@OMP_1.0",
    ".symver pomp_omp_set_lock_25, omp_set_lock@OMP_1.0",
    ".symver pomp_omp_unset_lock_25, omp_unset_lock@OMP_1.0",
    ".symver pomp_omp_test_lock_25, omp_test_lock@OMP_1.0",
    ".symver pomp_omp_init_nest_lock_25, omp_init_nest_lock@OMP_1.0",
    ".symver pomp_omp_destroy_nest_lock_25, omp_destroy_nest_lock@OMP_1.0",
    ".symver pomp_omp_set_nest_lock_25, omp_set_nest_lock@OMP_1.0",
    ".symver pomp_omp_unset_nest_lock_25, omp_unset_nest_lock@OMP_1.0",
    ".symver pomp_omp_test_nest_lock_25, omp_test_nest_lock@OMP_1.0",
    ".symver pomp_omp_init_lock__30, omp_init_lock_@@OMP_3.0",
    ".symver pomp_omp_destroy_lock__30, omp_destroy_lock_@@OMP_3.0",
    ".symver pomp_omp_set_lock__30, omp_set_lock_@@OMP_3.0",
    ".symver pomp_omp_unset_lock__30, omp_unset_lock_@@OMP_3.0",
    ".symver pomp_omp_test_lock__30, omp_test_lock_@@OMP_3.0",
    ".symver pomp_omp_init_nest_lock__30, omp_init_nest_lock_@@OMP_3.0",
    ".symver pomp_omp_destroy_nest_lock__30, omp_destroy_nest_lock_@@OMP_3.0",
    ".symver pomp_omp_set_nest_lock__30, omp_set_nest_lock_@@OMP_3.0",
    ".symver pomp_omp_unset_nest_lock__30, omp_unset_nest_lock_@@OMP_3.0",
    ".symver pomp_omp_test_nest_lock__30, omp_test_nest_lock_@@OMP_3.0",
    ".symver pomp_omp_init_lock__25, omp_init_lock_@OMP_1.0",
    ".symver pomp_omp_destroy_lock__25, omp_destroy_lock_@OMP_1.0",
    ".symver pomp_omp_set_lock__25, omp_set_lock_@OMP_1.0",
    ".symver pomp_omp_unset_lock__25, omp_unset_lock_@OMP_1.0",
    ".symver pomp_omp_test_lock__25, omp_test_lock_@OMP_1.0",
    ".symver pomp_omp_init_nest_lock__25, omp_init_nest_lock_@OMP_1.0",
    ".symver pomp_omp_destroy_nest_lock__25, omp_destroy_nest_lock_@OMP_1.0",
    ".symver pomp_omp_set_nest_lock__25, omp_set_nest_lock_@OMP_1.0",
    ".symver pomp_omp_unset_nest_lock__25, omp_unset_nest_lock_@OMP_1.0",
    ".symver pomp_omp_test_nest_lock__25, omp_test_nest_lock_@OMP_1.0",
);
