//! barrier.c: `GOMP_barrier` (GOMP_1.0), `GOMP_barrier_cancel` (GOMP_4.0).

#[no_mangle]
pub extern "C" fn GOMP_barrier() {
    rt::barrier::wait(rt::thread::current());
}

#[no_mangle]
pub extern "C" fn GOMP_barrier_cancel() -> bool {
    rt::barrier::wait(rt::thread::current())
}
