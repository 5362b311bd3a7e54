/* The calling thread's runtime state, in initial-exec TLS.

   Rust's thread_local! in a shared library uses the general-dynamic
   model: every access calls __tls_get_addr, which costs more than a loop
   chunk. Like libgomp, pomp keeps its per-thread pointer in the static TLS
   block instead (one %fs-relative load); the few bytes come out of the
   surplus the dynamic loader reserves for such libraries. */

/* Not static: on x86-64 the Rust side reads it inline (sys/linux.rs),
   without calling pomp_tls_current. Hidden: never exported. */
__attribute__((visibility("hidden"))) __thread void *pomp_current_thread
    __attribute__((tls_model("initial-exec")));

void *pomp_tls_current(void)
{
    return pomp_current_thread;
}

void pomp_tls_set_current(void *p)
{
    pomp_current_thread = p;
}
