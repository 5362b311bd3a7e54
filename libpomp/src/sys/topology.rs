//! Linux: the CPUs a thread may run on (`sched_getaffinity` /
//! `sched_setaffinity`), how the kernel groups them (sysfs), and the host
//! and thread names that the affinity format reports.
//!
//! CPU masks are passed as `u64` words, CPU `c` being bit `c % 64` of word
//! `c / 64`: the layout of the kernel's `cpumask` on a 64-bit little- or
//! big-endian machine alike, since the kernel reads it as an array of
//! `unsigned long`. Masks are sized at run time, so machines with more CPUs
//! than glibc's fixed 1024-bit `cpu_set_t` work too.

use std::path::Path;

/// The calling thread's affinity mask, or `None` if the kernel refuses
/// every size tried.
pub fn thread_affinity() -> Option<Vec<u64>> {
    // The kernel wants a buffer at least as large as its own mask (it
    // returns EINVAL otherwise): grow until it fits.
    let mut words = 16usize;
    while words <= 1 << 16 {
        let mut buf = vec![0u64; words];
        // SAFETY: `buf` is a live, writable buffer of exactly the size
        // passed; the kernel writes at most that many bytes and returns how
        // many it wrote.
        let rc =
            unsafe { libc::syscall(libc::SYS_sched_getaffinity, 0, words * 8, buf.as_mut_ptr()) };
        if rc > 0 {
            buf.truncate((rc as usize).div_ceil(8));
            return Some(buf);
        }
        if std::io::Error::last_os_error().raw_os_error() != Some(libc::EINVAL) {
            return None;
        }
        words *= 4;
    }
    None
}

/// How many CPU numbers the kernel's masks can hold (its `nr_cpu_ids`,
/// rounded up to a multiple of 64): CPU numbers from here on cannot exist.
pub fn mask_capacity() -> u32 {
    thread_affinity().map_or(1024, |m| (m.len() * 64) as u32)
}

/// Restricts the calling thread to the CPUs of `mask`. Returns false if the
/// kernel refuses (for instance when no CPU of the mask is usable); the
/// thread then keeps its previous mask.
pub fn set_thread_affinity(mask: &[u64]) -> bool {
    if mask.is_empty() {
        return false;
    }
    // SAFETY: `mask` is a live buffer of `mask.len() * 8` bytes which the
    // kernel only reads.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_sched_setaffinity,
            0,
            mask.len() * 8,
            mask.as_ptr(),
        )
    };
    rc == 0
}

/// The CPU the calling thread runs on (it may have moved by the time the
/// caller looks), or `None` if the kernel cannot say.
pub fn current_cpu() -> Option<u32> {
    // SAFETY: sched_getcpu takes no arguments and only reads the CPU number
    // the kernel keeps for the thread (rseq or vDSO).
    let c = unsafe { libc::sched_getcpu() };
    u32::try_from(c).ok()
}

/// What GCC's libgomp saw of this process's CPUs before it bound the
/// initial thread, when it is loaded beside pomp: the CPUs of its places
/// and its CPU count (`omp_get_num_procs`). `None` when libgomp is not
/// loaded, is pomp itself (`libgomp.so.1` an alias of pomp), or has no
/// places.
///
/// With `LD_PRELOAD=libpomp.so`, the program's own `libgomp.so.1` is still
/// loaded and its constructor runs before pomp's: if the environment asks
/// for binding, it has already restricted the initial thread to its first
/// place, and the thread's mask no longer tells which CPUs the process was
/// given. libgomp's places are cut to that original mask the same way
/// pomp's are, so their union stands in for it.
pub fn libgomp_view() -> Option<(Vec<u32>, u32)> {
    type NumPlaces = unsafe extern "C" fn() -> libc::c_int;
    type PlaceNumProcs = unsafe extern "C" fn(libc::c_int) -> libc::c_int;
    type PlaceProcIds = unsafe extern "C" fn(libc::c_int, *mut libc::c_int);
    // SAFETY: RTLD_NOLOAD only looks up an object already loaded (and
    // takes a reference, dropped by dlclose below); the name is a
    // NUL-terminated literal.
    let h = unsafe {
        libc::dlopen(
            c"libgomp.so.1".as_ptr(),
            libc::RTLD_LAZY | libc::RTLD_NOLOAD,
        )
    };
    if h.is_null() {
        return None;
    }
    let sym = |name: &std::ffi::CStr| {
        // SAFETY: `h` is a live handle and `name` NUL-terminated.
        let p = unsafe { libc::dlsym(h, name.as_ptr()) };
        (!p.is_null()).then_some(p)
    };
    let result = (|| {
        let num_places = sym(c"omp_get_num_places")?;
        let num_procs = sym(c"omp_get_num_procs")?;
        let place_num_procs = sym(c"omp_get_place_num_procs")?;
        let place_proc_ids = sym(c"omp_get_place_proc_ids")?;
        if same_object(num_places, libgomp_view as *const libc::c_void) {
            return None;
        }
        // SAFETY: these are libgomp's own OpenMP routines (OMP_1.0 and
        // OMP_4.5), whose C signatures are fixed by the OpenMP API; its
        // constructor has run, so they only read its initialised globals.
        // `ids` has room for the count libgomp reported for the place.
        unsafe {
            let num_places = std::mem::transmute::<*mut libc::c_void, NumPlaces>(num_places);
            let num_procs = std::mem::transmute::<*mut libc::c_void, NumPlaces>(num_procs);
            let place_num_procs =
                std::mem::transmute::<*mut libc::c_void, PlaceNumProcs>(place_num_procs);
            let place_proc_ids =
                std::mem::transmute::<*mut libc::c_void, PlaceProcIds>(place_proc_ids);
            let n = num_places();
            if n <= 0 {
                return None;
            }
            let mut cpus = Vec::new();
            for p in 0..n {
                let k = place_num_procs(p).max(0) as usize;
                let mut ids = vec![0 as libc::c_int; k];
                place_proc_ids(p, ids.as_mut_ptr());
                cpus.extend(ids.into_iter().filter(|&c| c >= 0).map(|c| c as u32));
            }
            Some((cpus, num_procs().max(1) as u32))
        }
    })();
    // SAFETY: `h` came from the dlopen above and is closed once.
    unsafe { libc::dlclose(h) };
    result
}

/// Whether two addresses lie in the same loaded object.
fn same_object(a: *const libc::c_void, b: *const libc::c_void) -> bool {
    let base = |p: *const libc::c_void| {
        // SAFETY: Dl_info is plain data; dladdr only writes it.
        let mut info: libc::Dl_info = unsafe { std::mem::zeroed() };
        // SAFETY: `info` is a valid out-pointer; any address may be asked.
        let ok = unsafe { libc::dladdr(p, &mut info) } != 0;
        ok.then_some(info.dli_fbase)
    };
    matches!((base(a), base(b)), (Some(x), Some(y)) if x == y)
}

/// Parses a kernel CPU list (`0-3,8,10-11`), as sysfs prints them.
pub fn parse_cpu_list(s: &str) -> Option<Vec<u32>> {
    let s = s.trim();
    let mut out = Vec::new();
    if s.is_empty() {
        return Some(out);
    }
    for part in s.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
                if b < a || b - a > 1 << 20 {
                    return None;
                }
                out.extend(a..=b);
            }
            None => out.push(part.trim().parse().ok()?),
        }
    }
    Some(out)
}

fn read_cpu_list(path: &Path) -> Option<Vec<u32>> {
    parse_cpu_list(&std::fs::read_to_string(path).ok()?)
}

/// What sysfs groups a CPU with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Siblings {
    /// The hardware threads of its core.
    Core,
    /// The CPUs of its package (socket).
    Package,
    /// The CPUs sharing its last-level cache.
    LastLevelCache,
}

/// The CPUs sysfs groups `cpu` with (itself included), or `None` if sysfs
/// does not say.
pub fn cpu_siblings(cpu: u32, what: Siblings) -> Option<Vec<u32>> {
    let dir = format!("/sys/devices/system/cpu/cpu{cpu}");
    let topo = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| read_cpu_list(&Path::new(&dir).join("topology").join(n)))
    };
    match what {
        // core_cpus_list and package_cpus_list are the names since Linux
        // 5.x; the older ones remain as aliases on many kernels.
        Siblings::Core => topo(&["core_cpus_list", "thread_siblings_list"]),
        Siblings::Package => topo(&["package_cpus_list", "core_siblings_list"]).or_else(|| {
            // Very old kernels: only the package number.
            let id = std::fs::read_to_string(format!("{dir}/topology/physical_package_id")).ok()?;
            let id = id.trim().to_string();
            let same: Vec<u32> = online_cpus()
                .into_iter()
                .filter(|c| {
                    std::fs::read_to_string(format!(
                        "/sys/devices/system/cpu/cpu{c}/topology/physical_package_id"
                    ))
                    .is_ok_and(|s| s.trim() == id)
                })
                .collect();
            (!same.is_empty()).then_some(same)
        }),
        Siblings::LastLevelCache => {
            // The data or unified cache of the highest level.
            let mut best: Option<(u32, Vec<u32>)> = None;
            let entries = std::fs::read_dir(format!("{dir}/cache")).ok()?;
            for e in entries.flatten() {
                let name = e.file_name();
                if !name.to_string_lossy().starts_with("index") {
                    continue;
                }
                let p = e.path();
                let kind = std::fs::read_to_string(p.join("type")).unwrap_or_default();
                if kind.trim() == "Instruction" {
                    continue;
                }
                let Some(level) = std::fs::read_to_string(p.join("level"))
                    .ok()
                    .and_then(|s| s.trim().parse::<u32>().ok())
                else {
                    continue;
                };
                let Some(cpus) = read_cpu_list(&p.join("shared_cpu_list")) else {
                    continue;
                };
                match &best {
                    Some((l, _)) if *l >= level => {}
                    _ => best = Some((level, cpus)),
                }
            }
            best.map(|(_, cpus)| cpus)
        }
    }
}

/// The CPUs of each NUMA node, in node order (empty if sysfs has no node
/// directory, as on kernels built without NUMA).
pub fn numa_nodes() -> Vec<Vec<u32>> {
    let Ok(entries) = std::fs::read_dir("/sys/devices/system/node") else {
        return Vec::new();
    };
    let mut nodes: Vec<(u32, Vec<u32>)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let id: u32 = name.strip_prefix("node")?.parse().ok()?;
            Some((id, read_cpu_list(&e.path().join("cpulist"))?))
        })
        .collect();
    nodes.sort_by_key(|(id, _)| *id);
    nodes.into_iter().map(|(_, cpus)| cpus).collect()
}

/// The CPUs the kernel has online.
pub fn online_cpus() -> Vec<u32> {
    read_cpu_list(Path::new("/sys/devices/system/cpu/online")).unwrap_or_default()
}

/// The host name (`gethostname`), empty if it cannot be read.
pub fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: `buf` is writable for its whole length; gethostname writes at
    // most that many bytes.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return String::new();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

/// The calling thread's `pthread_t`, as a number: what libgomp's affinity
/// format prints as the native thread id.
pub fn pthread_handle() -> u64 {
    // SAFETY: pthread_self has no preconditions and cannot fail.
    unsafe { libc::pthread_self() as u64 }
}

/// The process id.
pub fn pid() -> u32 {
    std::process::id()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_lists() {
        assert_eq!(
            parse_cpu_list("0-3,8,10-11\n"),
            Some(vec![0, 1, 2, 3, 8, 10, 11])
        );
        assert_eq!(parse_cpu_list(""), Some(vec![]));
        assert_eq!(parse_cpu_list("3-1"), None);
        assert_eq!(parse_cpu_list("x"), None);
    }

    #[test]
    fn this_thread_has_a_mask() {
        let m = thread_affinity().expect("sched_getaffinity works");
        assert!(m.iter().any(|&w| w != 0));
        assert!(mask_capacity() >= 64);
    }
}
