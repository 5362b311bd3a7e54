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
        let q = at(&d[n], arena0) as *const u64;
        // SAFETY: inside node n's window.
        let v = unsafe { q.read_volatile() };
        assert_eq!(v, 99);
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
        for dn in &d {
            let a = at(dn, off);
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

fn header(key: u64, a: u32, b: u32) -> Vec<u8> {
    [
        key.to_le_bytes().as_slice(),
        &a.to_le_bytes(),
        &b.to_le_bytes(),
    ]
    .concat()
}

#[test]
fn bad_messages_are_refused_and_change_no_page() {
    use pomp_dsm::kinds::*;
    let (nodes, d) = job(2, 0x50_0000_0000);
    let page = d[0].page_size();
    let arena1 = (d[1].arena().0 - d[1].window().0) / page;
    let p1 = at(&d[1], arena1 * page) as *mut u64;
    // SAFETY: node 1's own arena.
    unsafe { p1.write_volatile(42) };
    let net0 = &nodes[0];
    // A page returned that node 1 never asked for, with garbage in it.
    net0.send(
        1,
        KIND_FETCH_ACK,
        &header(arena1 as u64, 0, 0),
        &vec![0xee; page],
    )
    .unwrap();
    // An invalidation of node 1's page from a node that is not its home.
    net0.send(1, KIND_INV, &header(arena1 as u64, 0, 0), &[])
        .unwrap();
    // Acknowledgements and completions nobody expects.
    net0.send(1, KIND_INV_ACK, &header(arena1 as u64, 0, 0), &[])
        .unwrap();
    net0.send(1, KIND_DONE, &header(arena1 as u64, 1, 0), &[])
        .unwrap();
    // A malformed header.
    net0.send(1, KIND_DONE, &[1, 2, 3], &[]).unwrap();
    // Requests for a page outside every range, for a page homed elsewhere,
    // for several pages of write access: error replies naming the node.
    let outside = 1u64 << 39;
    for (key, a, b) in [(outside, 0, 1), (0, 0, 1), (arena1 as u64, 1, 4)] {
        let e = net0
            .request(1, KIND_REQ, &header(key, a, b), &[])
            .unwrap_err();
        assert!(e.to_string().contains("node 1"), "{e}");
    }
    // The page is untouched and still node 1's to write, and the DSM still works.
    // SAFETY: node 1's arena.
    assert_eq!(unsafe { p1.read_volatile() }, 42);
    let q = at(&d[0], arena1 * page) as *const u64;
    // SAFETY: node 0's window, same page.
    assert_eq!(unsafe { q.read_volatile() }, 42);
    let s = d[1].stats();
    assert!(s.refused >= 8, "{s:?}");
}
