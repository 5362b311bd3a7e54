//! Several DSM nodes in one process (the in-process transport), each with
//! its own window, so the tests name memory by offset. Quick checks of the
//! protocol's paths; the multi-process tests in `nodes.rs` are the real
//! thing.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;

use pomp_dsm::{Config, Dsm, Port};
use pomp_transport::{mem, Config as NetConfig, Node};

const SIZE: usize = 256 << 20;

fn job(n: u32, first_base: usize) -> (Vec<Node>, Vec<Arc<Dsm>>) {
    let ports: Vec<Port> = (0..n).map(|_| Port::new()).collect();
    let nodes = mem::mesh(n, NetConfig::default(), |i| {
        Some(ports[i as usize].handler())
    })
    .unwrap();
    let dsms = thread::scope(|s| {
        let hs: Vec<_> = (0..n as usize)
            .map(|i| {
                let port = &ports[i];
                let net = (*nodes[i]).clone();
                s.spawn(move || {
                    let cfg = Config {
                        base: first_base + i * SIZE,
                        size: SIZE,
                        same_base: false,
                        ..Config::default()
                    };
                    Arc::new(Dsm::start(port, net, cfg).unwrap())
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    (nodes, dsms)
}

/// Address of byte `off` of the window on node `d`.
fn at(d: &Dsm, off: usize) -> usize {
    d.window().0 + off
}

#[test]
fn a_write_on_one_node_is_read_on_the_others() {
    let (_nodes, d) = job(3, 0x20_0000_0000);
    let arena0 = d[0].arena().0 - d[0].window().0;
    // Node 0 writes its own arena (no fault: it is the home, modified).
    let p = at(&d[0], arena0) as *mut u64;
    // SAFETY: inside node 0's window, which the DSM maps.
    unsafe { p.write_volatile(0x1234_5678) };
    for n in [1, 2] {
        let q = at(&d[n], arena0) as *const u64;
        // SAFETY: inside node n's window.
        assert_eq!(unsafe { q.read_volatile() }, 0x1234_5678, "node {n}");
    }
    // Node 2 writes: both other copies are invalidated, then re-read.
    // SAFETY: inside node 2's window.
    unsafe { (at(&d[2], arena0) as *mut u64).write_volatile(99) };
    for n in [0, 1] {
        // SAFETY: inside node n's window.
        assert_eq!(
            unsafe { (at(&d[n], arena0) as *const u64).read_volatile() },
            99
        );
    }
    let s2 = d[2].stats();
    assert!(
        s2.read_faults >= 1 && s2.upgrades + s2.write_faults >= 1,
        "{s2:?}"
    );
}

#[test]
fn atomic_counters_from_every_node_lose_nothing() {
    let (_nodes, d) = job(3, 0x30_0000_0000);
    let off = d[1].arena().0 - d[1].window().0 + 64;
    let per = 3000u64;
    thread::scope(|s| {
        for n in 0..3 {
            let a = at(&d[n], off);
            s.spawn(move || {
                // SAFETY: inside node n's window; AtomicU64 is 8-aligned there.
                let c = unsafe { &*(a as *const AtomicU64) };
                for _ in 0..per {
                    c.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
    });
    // SAFETY: as above.
    let c = unsafe { &*(at(&d[0], off) as *const AtomicU64) };
    assert_eq!(c.load(Ordering::SeqCst), 3 * per);
}

#[test]
fn a_sequential_scan_prefetches() {
    let (_nodes, d) = job(2, 0x40_0000_0000);
    let off = d[0].arena().0 - d[0].window().0;
    let len = 8 << 20;
    let w = at(&d[0], off) as *mut u64;
    for i in 0..len / 8 {
        // SAFETY: inside node 0's arena.
        unsafe { w.add(i).write(i as u64 * 3) };
    }
    let r = at(&d[1], off) as *const u64;
    let mut sum = 0u64;
    for i in 0..len / 8 {
        // SAFETY: inside node 1's window.
        sum = sum.wrapping_add(unsafe { r.add(i).read() });
    }
    let n = (len / 8) as u64;
    assert_eq!(sum, 3 * n * (n - 1) / 2);
    let s = d[1].stats();
    let pages = (len / d[1].page_size()) as u64;
    // The read-ahead may run up to a window past the end.
    assert!(s.pages_in >= pages && s.pages_in <= pages + 64, "{s:?}");
    assert!(s.read_faults * 8 < pages, "no prefetch: {s:?}");
}
