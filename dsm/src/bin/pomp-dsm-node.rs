//! One node of a DSM test job, driven by `dsm/tests/nodes.rs` and the DSM
//! benchmark. It binds a listener, prints `PORT <port>`, reads
//! `NODES <id> <list>` from stdin, joins the mesh with the secret from the
//! environment, starts the DSM and plays a role; results are printed as
//! `RESULT <words>` lines, a failed check exits non-zero with a message.
//!
//! Roles (every node of the job runs the same one):
//! - `counter PER THREADS`: THREADS threads per node each add 1 PER times
//!   to one counter in node 0's arena with an atomic instruction; node 0
//!   prints the total.
//! - `falseshare ROUNDS`: every node's thread writes its own 64-byte slot
//!   of one shared page (and its own page) ROUNDS times, checking that its
//!   last write is still there before each next one; node 0 checks all
//!   slots at the end.
//! - `array MIB`: node 0 fills a heap array of MIB MiB; the others checksum it.
//! - `mp ROUNDS`, `sb ROUNDS`: the message-passing and store-buffering
//!   litmus tests between nodes 0 and 1; prints the outcomes seen.
//! - `heap BLOCKS`: two threads per node allocate BLOCKS blocks each, fill
//!   them, hand them to the next node, which checks and frees them.
//! - `segv`: touch an address outside the window (must die of SIGSEGV).
//! - `globals`: a page-aligned static array becomes DSM memory with
//!   `share_existing` (node 0's contents win); every node checks and writes it.
//! - `stack`: every node runs a thread on a stack from the shared heap and
//!   publishes what it computed there.
//! - `bench`: node 1 times faults on pages homed at node 0 (see
//!   `benches/dsm.rs`); node 0 serves.

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use pomp_dsm::{Config, Dsm, Port};
use pomp_transport::{tcp, Config as NetConfig, Event, Node, Secret};

const KIND_BARRIER: u16 = 0x0100;
const KIND_GO: u16 = 0x0101;
const KIND_VALUES: u16 = 0x0102;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pomp-dsm-node: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Job {
    node: Node,
    dsm: Dsm,
    /// Messages received ahead of being asked for.
    early: Vec<pomp_transport::Message>,
}

impl Job {
    fn me(&self) -> u32 {
        self.node.id()
    }

    fn n(&self) -> u32 {
        self.node.nodes()
    }

    fn recv(&mut self) -> Result<pomp_transport::Message, String> {
        loop {
            match self
                .node
                .recv_timeout(Duration::from_secs(60))
                .map_err(|e| e.to_string())?
            {
                Some(Event::Message(m)) => return Ok(m),
                // After the last barrier a node may leave before the last
                // GO reaches a slower one: not an error by itself.
                Some(Event::PeerLeft { .. }) => {}
                Some(e) => return Err(format!("node {}: {e:?}", self.me())),
                None => return Err(format!("node {}: nothing heard for 60 s", self.me())),
            }
        }
    }

    /// The first message of `kind` (from `from`, if given), keeping
    /// others for later.
    fn take(&mut self, kind: u16, from: Option<u32>) -> Result<pomp_transport::Message, String> {
        let want = |m: &pomp_transport::Message| m.kind == kind && from.is_none_or(|f| m.from == f);
        if let Some(i) = self.early.iter().position(want) {
            return Ok(self.early.remove(i));
        }
        loop {
            let m = self.recv()?;
            if want(&m) {
                return Ok(m);
            }
            if ![KIND_BARRIER, KIND_GO, KIND_VALUES].contains(&m.kind) {
                return Err(format!("unexpected kind {:#x}", m.kind));
            }
            self.early.push(m);
        }
    }

    /// Everyone waits until everyone arrives (node 0 counts).
    fn barrier(&mut self) -> Result<(), String> {
        if self.me() == 0 {
            for _ in 1..self.n() {
                self.take(KIND_BARRIER, None)?;
            }
            self.node
                .broadcast(KIND_GO, &[], &[])
                .map_err(|e| e.to_string())?;
        } else {
            self.node
                .send(0, KIND_BARRIER, &[], &[])
                .map_err(|e| e.to_string())?;
            self.take(KIND_GO, Some(0))?;
        }
        Ok(())
    }

    fn send_values(&self, to: u32, v: &[u64]) -> Result<(), String> {
        let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
        self.node
            .send(to, KIND_VALUES, &[], &bytes)
            .map_err(|e| e.to_string())
    }

    fn recv_values(&mut self, from: u32) -> Result<Vec<u64>, String> {
        Ok(words(&self.take(KIND_VALUES, Some(from))?.payload))
    }

    /// Page `page` of the reserved range of node `n`'s arena (the heap
    /// never hands it out).
    fn fixed(&self, n: u32, page: usize) -> usize {
        let (base, len) = self.dsm.heap().reserved(n);
        assert!((page + 1) * self.dsm.page_size() <= len);
        base + page * self.dsm.page_size()
    }
}

fn words(b: &[u8]) -> Vec<u64> {
    b.chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

fn arg(args: &[String], i: usize, what: &str) -> Result<u64, String> {
    args.get(i)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("missing or bad {what}"))
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let role = args.first().cloned().ok_or("no role given")?;
    let secret = Secret::from_env()?;
    let listener = tcp::listen(None).map_err(|e| format!("listen: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    println!("PORT {port}");
    std::io::stdout().flush().ok();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let mut it = line.split_whitespace();
    if it.next() != Some("NODES") {
        return Err(format!("expected a NODES line, got {line:?}"));
    }
    let me: u32 = it
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or("NODES <id> <list>")?;
    let addrs = tcp::parse_nodes(it.next().ok_or("NODES <id> <list>")?)?;
    let port = Port::new();
    let node = tcp::connect(
        listener,
        me,
        &addrs,
        &secret,
        NetConfig::from_env(),
        Some(port.handler()),
    )
    .map_err(|e| e.to_string())?;
    let dsm = Dsm::start(&port, (*node).clone(), Config::from_env()).map_err(|e| e.to_string())?;
    let mut job = Job {
        node,
        dsm,
        early: vec![],
    };
    job.barrier()?;
    match role.as_str() {
        "counter" => counter(&mut job, arg(&args, 1, "PER")?, arg(&args, 2, "THREADS")?),
        "falseshare" => falseshare(&mut job, arg(&args, 1, "ROUNDS")?),
        "array" => array(&mut job, arg(&args, 1, "MIB")?),
        "mp" => mp(&mut job, arg(&args, 1, "ROUNDS")?),
        "turns" => turns(&mut job, arg(&args, 1, "ROUNDS")?),
        "sb" => sb(&mut job, arg(&args, 1, "ROUNDS")?),
        "heap" => heap(&mut job, arg(&args, 1, "BLOCKS")?),
        "segv" => segv(&job),
        "globals" => globals(&mut job),
        "stack" => stack(&mut job),
        "bench" => bench(&mut job, &args[1..]),
        r => Err(format!("unknown role {r}")),
    }?;
    job.barrier()?;
    let s = job.dsm.stats();
    println!(
        "STATS node {} read_faults {} write_faults {} upgrades {} silent_upgrades {} pages_in {} msgs_out {} bytes_out {} refused {}",
        job.me(),
        s.read_faults,
        s.write_faults,
        s.upgrades,
        s.silent_upgrades,
        s.pages_in,
        s.msgs_out,
        s.bytes_out,
        s.refused
    );
    Ok(())
}

fn counter(job: &mut Job, per: u64, threads: u64) -> Result<(), String> {
    let addr = job.fixed(0, 0) + 8;
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(move || {
                // SAFETY: `addr` is in the window, 8-aligned.
                let c = unsafe { &*(addr as *const AtomicU64) };
                for _ in 0..per {
                    c.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    job.barrier()?;
    if job.me() == 0 {
        // SAFETY: as above.
        let total = unsafe { &*(addr as *const AtomicU64) }.load(Ordering::SeqCst);
        println!("RESULT counter {total}");
        let want = per * threads * job.n() as u64;
        if total != want {
            return Err(format!("counter is {total}, want {want}"));
        }
    }
    Ok(())
}

fn falseshare(job: &mut Job, rounds: u64) -> Result<(), String> {
    let me = job.me() as usize;
    let shared = job.fixed(1 % job.n(), 1) as *mut u64;
    let own = job.fixed(job.me(), 2 + job.me() as usize) as *mut u64;
    for r in 1..=rounds {
        // SAFETY: both pages are in the window; slot `me` (8 words) of the
        // shared page is this node's alone.
        unsafe {
            let slot = shared.add(me * 8);
            for w in 0..8 {
                let want = if r == 1 { 0 } else { ((r - 1) << 8) | w };
                let got = slot.add(w as usize).read_volatile();
                if got != want {
                    return Err(format!(
                        "node {me} round {r}: shared slot word {w} is {got:#x}, want {want:#x}"
                    ));
                }
                slot.add(w as usize).write_volatile((r << 8) | w);
            }
            let got = own.read_volatile();
            if got != r - 1 {
                return Err(format!("node {me} round {r}: own page is {got}"));
            }
            own.write_volatile(r);
        }
    }
    job.barrier()?;
    if me == 0 {
        for n in 0..job.n() as usize {
            for w in 0..8u64 {
                // SAFETY: as above, reading.
                let got = unsafe { shared.add(n * 8 + w as usize).read_volatile() };
                if got != (rounds << 8) | w {
                    return Err(format!("node {n}'s slot word {w} ended as {got:#x}"));
                }
            }
        }
        println!("RESULT falseshare ok");
    }
    Ok(())
}

fn array(job: &mut Job, mib: u64) -> Result<(), String> {
    let len = (mib as usize) << 20;
    let words = len / 8;
    if job.me() == 0 {
        let p = job.dsm.heap().malloc(len) as *mut u64;
        if p.is_null() {
            return Err("malloc failed".into());
        }
        let mut sum = 0u64;
        for i in 0..words {
            let v = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 7;
            // SAFETY: `p` is a fresh heap block of `len` bytes.
            unsafe { p.add(i).write(v) };
            sum = sum.wrapping_add(v);
        }
        for n in 1..job.n() {
            job.send_values(n, &[p as u64, sum])?;
        }
        job.barrier()?;
        job.barrier()?;
        job.dsm.heap().free(p as *mut u8)?;
    } else {
        let v = job.recv_values(0)?;
        job.barrier()?;
        let p = v[0] as *const u64;
        let t0 = Instant::now();
        let mut sum = 0u64;
        for i in 0..words {
            // SAFETY: node 0's block of `len` bytes, in the window.
            sum = sum.wrapping_add(unsafe { p.add(i).read() });
        }
        let dt = t0.elapsed();
        println!(
            "RESULT array node {} sum {sum:#x} MiB/s {:.0}",
            job.me(),
            mib as f64 / dt.as_secs_f64()
        );
        if sum != v[1] {
            return Err(format!("checksum {sum:#x}, node 0 wrote {:#x}", v[1]));
        }
        job.barrier()?;
    }
    Ok(())
}

/// Message passing: node 0 writes data then flag (different pages, homed
/// at different nodes); node 1 waits for the flag, then must see the data.
fn mp(job: &mut Job, rounds: u64) -> Result<(), String> {
    let data = job.fixed(1, 3) as *const AtomicU64;
    let flag = job.fixed(0, 3) as *const AtomicU64;
    // SAFETY: both in the window, 8-aligned.
    let (data, flag) = unsafe { (&*data, &*flag) };
    let mut seen = 0;
    for r in 1..=rounds {
        match job.me() {
            0 => {
                data.store(r * 7, Ordering::Relaxed);
                flag.store(r, Ordering::Release);
            }
            1 => {
                while flag.load(Ordering::Acquire) != r {
                    std::hint::spin_loop();
                }
                let d = data.load(Ordering::Relaxed);
                if d != r * 7 {
                    return Err(format!("round {r}: flag set but data is {d}"));
                }
                seen += 1;
            }
            _ => {}
        }
        job.barrier()?;
    }
    if job.me() == 1 {
        println!("RESULT mp {seen} rounds, data always seen");
    }
    Ok(())
}

/// Migratory data: in round r, node r mod n reads a word that the node
/// before it wrote, checks it, and writes the next value (plain loads and
/// stores), one node at a time.
fn turns(job: &mut Job, rounds: u64) -> Result<(), String> {
    let w = job.fixed(1 % job.n(), 5) as *mut u64;
    for r in 1..=rounds {
        if r % job.n() as u64 == job.me() as u64 {
            // SAFETY: in the window, 8-aligned; one node at a time touches
            // it (the barrier below orders the rounds).
            let got = unsafe { w.read_volatile() };
            if got != r - 1 {
                return Err(format!("round {r}: read {got}, want {}", r - 1));
            }
            // SAFETY: as above.
            unsafe { w.write_volatile(r) };
        }
        job.barrier()?;
    }
    if job.me() == 0 {
        println!("RESULT turns ok");
    }
    Ok(())
}

/// Store buffering: x = 1; r0 = y || y = 1; r1 = x. Sequential consistency
/// forbids r0 = r1 = 0.
fn sb(job: &mut Job, rounds: u64) -> Result<(), String> {
    let x = job.fixed(0, 4) as *const AtomicU64;
    let y = job.fixed(1, 4) as *const AtomicU64;
    // SAFETY: both in the window, 8-aligned.
    let (x, y) = unsafe { (&*x, &*y) };
    let mut outcomes = [0u64; 4];
    for r in 1..=rounds {
        let got = match job.me() {
            0 => {
                x.store(r, Ordering::SeqCst);
                Some(y.load(Ordering::SeqCst) == r)
            }
            1 => {
                y.store(r, Ordering::SeqCst);
                Some(x.load(Ordering::SeqCst) == r)
            }
            _ => None,
        };
        if let Some(saw) = got {
            if job.me() == 1 {
                job.send_values(0, &[saw as u64])?;
            } else {
                let other = job.recv_values(1)?[0] != 0;
                outcomes[(saw as usize) << 1 | other as usize] += 1;
                if !saw && !other {
                    return Err(format!("round {r}: both nodes read the old value"));
                }
            }
        }
        job.barrier()?;
    }
    if job.me() == 0 {
        println!(
            "RESULT sb r0r1: 00={} 01={} 10={} 11={}",
            outcomes[0], outcomes[1], outcomes[2], outcomes[3]
        );
    }
    Ok(())
}

fn heap(job: &mut Job, blocks: u64) -> Result<(), String> {
    let me = job.me() as u64;
    let heap = job.dsm.heap();
    let made: Vec<Vec<u64>> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..2u64)
            .map(|t| {
                s.spawn(move || {
                    let mut out = vec![];
                    let mut x = 0x1234_5678u64 ^ (me << 32) ^ (t << 48);
                    for i in 0..blocks {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        let size = match i % 10 {
                            9 => 40_000 + (x % 100_000) as usize,
                            _ => 1 + (x % 3000) as usize,
                        };
                        let p = match i % 4 {
                            0 => heap.calloc(1, size),
                            1 => heap.memalign(256, size),
                            _ => heap.malloc(size),
                        };
                        assert!(!p.is_null(), "allocation of {size} failed");
                        assert!(heap.malloc_usable_size(p) >= size);
                        let tag = (me << 56) | (t << 48) | i;
                        // SAFETY: a fresh block of at least `size` bytes.
                        unsafe {
                            if i % 4 == 0 {
                                assert!((0..size).all(|k| p.add(k).read() == 0), "calloc not zero");
                            }
                            std::ptr::write_bytes(p, (tag % 251) as u8, size);
                        }
                        out.extend([p as u64, size as u64, tag]);
                    }
                    out
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let next = (job.me() + 1) % job.n();
    let prev = (job.me() + job.n() - 1) % job.n();
    let all: Vec<u64> = made.concat();
    job.send_values(next, &all)?;
    let theirs = job.recv_values(prev)?;
    job.barrier()?;
    for b in theirs.chunks_exact(3) {
        let (p, size, tag) = (b[0] as *mut u8, b[1] as usize, b[2]);
        // SAFETY: node `prev`'s live block of `size` bytes, in the window.
        let ok = (0..size).all(|k| unsafe { p.add(k).read() } == (tag % 251) as u8);
        if !ok {
            return Err(format!("block {p:?} of node {prev} is not as written"));
        }
        job.dsm.heap().free(p)?;
    }
    job.barrier()?;
    // The frees arrive as messages: give them a moment.
    let t0 = Instant::now();
    while job.dsm.heap().in_use() != 0 && t0.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let left = job.dsm.heap().in_use();
    println!("RESULT heap node {} in_use {left}", job.me());
    if left != 0 {
        return Err(format!(
            "{left} bytes still in use after every block was freed"
        ));
    }
    Ok(())
}

fn segv(job: &Job) -> Result<(), String> {
    let (base, size) = job.dsm.window();
    // A page that is certainly not mapped: just past the window.
    let p = (base + size + 64 * 4096) as *const u8;
    println!("RESULT segv touching {p:?}");
    std::io::stdout().flush().ok();
    // SAFETY: not safe at all; the point is to die of SIGSEGV here.
    let v = unsafe { p.read_volatile() };
    Err(format!("read {v} from an unmapped address and lived"))
}

/// Timed faults: node 1 faults on pages homed at node 0; nodes 2 and 3
/// (if there) are the sharers to invalidate. Node 1 prints
/// `BENCH <phase> <ns per fault> <faults>`; every node prints
/// `PHASE <phase> <messages> <bytes>` it sent during the phase.
fn bench(job: &mut Job, args: &[String]) -> Result<(), String> {
    let reps: usize = args.first().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let scan_mib: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(64);
    let page = job.dsm.page_size();
    let me = job.me();
    let n = job.n();
    // Pages homed at node 0: a large heap block of node 0's. Page 4j is for
    // reads and upgrades, 4j+1 for one sharer, 4j+2 for two, 4j+3 for a
    // write of a page the home holds modified.
    let base0 = if me == 0 {
        let p = job.dsm.heap().memalign(page, (4 * reps + 64) * page) as u64;
        for i in 0..4 * reps {
            // SAFETY: node 0's fresh block, page `i`.
            unsafe { ((p as usize + i * page) as *mut u64).write_volatile(i as u64) };
        }
        for k in 1..n {
            job.send_values(k, &[p])?;
        }
        p as usize
    } else {
        job.recv_values(0)?[0] as usize
    };
    let pg = |i: usize| (base0 + i * page) as *mut u64;
    let phase = |job: &mut Job,
                 name: &str,
                 prepare: &dyn Fn(u32),
                 run: &dyn Fn() -> Result<u64, String>|
     -> Result<(), String> {
        prepare(me);
        job.barrier()?;
        let s0 = job.dsm.stats();
        let mut timed = None;
        if me == 1 {
            let t0 = Instant::now();
            let faults = run()?;
            timed = Some((t0.elapsed(), faults));
        }
        job.barrier()?;
        let s1 = job.dsm.stats();
        if let Some((t, faults)) = timed {
            println!(
                "BENCH {name} {:.0} {faults}",
                t.as_nanos() as f64 / reps as f64
            );
        }
        println!(
            "PHASE {name} {} {}",
            s1.msgs_out - s0.msgs_out,
            s1.bytes_out - s0.bytes_out
        );
        Ok(())
    };
    let check = |i: usize, want: u64| -> Result<(), String> {
        // SAFETY: in the window.
        let v = unsafe { pg(i).read_volatile() };
        if v != want {
            return Err(format!("page {i} holds {v}, want {want}"));
        }
        Ok(())
    };
    // Read faults, 4 pages apart so the read-ahead stays at one page.
    phase(job, "read_fault", &|_| {}, &|| {
        for j in 0..reps {
            check(4 * j, 4 * j as u64)?;
        }
        Ok(reps as u64)
    })?;
    // Upgrades of the copies just read (no data travels).
    phase(job, "upgrade", &|_| {}, &|| {
        for j in 0..reps {
            // SAFETY: in the window.
            unsafe { pg(4 * j).write_volatile(1) };
        }
        Ok(reps as u64)
    })?;
    let sharers = |pages: &dyn Fn(usize) -> usize, who: &[u32]| {
        if who.contains(&me) {
            for j in 0..reps {
                let _ = check(pages(j), pages(j) as u64);
            }
        }
    };
    if n >= 3 {
        phase(
            job,
            "write_fault_1_sharer",
            &|_| sharers(&|j| 4 * j + 1, &[2]),
            &|| {
                for j in 0..reps {
                    // SAFETY: in the window.
                    unsafe { pg(4 * j + 1).write_volatile(1) };
                }
                Ok(reps as u64)
            },
        )?;
    }
    if n >= 4 {
        phase(
            job,
            "write_fault_2_sharers",
            &|_| sharers(&|j| 4 * j + 2, &[2, 3]),
            &|| {
                for j in 0..reps {
                    // SAFETY: in the window.
                    unsafe { pg(4 * j + 2).write_volatile(1) };
                }
                Ok(reps as u64)
            },
        )?;
    }
    phase(job, "write_fault_home_owner", &|_| {}, &|| {
        for j in 0..reps {
            // SAFETY: in the window.
            unsafe { pg(4 * j + 3).write_volatile(1) };
        }
        Ok(reps as u64)
    })?;
    // Sequential scan of `scan_mib` MiB written by node 0.
    let words = (scan_mib << 20) / 8;
    let a = if me == 0 {
        let p = job.dsm.heap().malloc(scan_mib << 20) as u64;
        for i in (0..words).step_by(512) {
            // SAFETY: node 0's fresh heap block of `scan_mib` MiB.
            unsafe { (p as *mut u64).add(i).write(i as u64) };
        }
        for k in 1..n {
            job.send_values(k, &[p])?;
        }
        p as usize
    } else {
        job.recv_values(0)?[0] as usize
    };
    let before = job.dsm.stats();
    phase(job, "scan", &|_| {}, &|| {
        let a = a as *const u64;
        let t0 = Instant::now();
        let mut sum = 0u64;
        for i in (0..words).step_by(512) {
            // SAFETY: in the window.
            sum = sum.wrapping_add(unsafe { a.add(i).read() });
        }
        let dt = t0.elapsed();
        let want: u64 = (0..words).step_by(512).map(|i| i as u64).sum();
        if sum != want {
            return Err(format!("scan sum {sum}, want {want}"));
        }
        println!(
            "BENCH scan_MBps {:.0}",
            (scan_mib << 20) as f64 / dt.as_secs_f64() / 1e6
        );
        Ok(0)
    })?;
    if me == 1 {
        let s = job.dsm.stats();
        println!("BENCH scan_faults 0 {}", s.read_faults - before.read_faults);
    }
    Ok(())
}

/// 16 KiB of page-aligned, writable static memory (in `.bss`).
#[repr(C, align(65536))]
struct Globals(std::cell::UnsafeCell<[u64; 2048]>);
// SAFETY: accessed only through raw pointers, under the test's barriers.
unsafe impl Sync for Globals {}
static GLOBALS: Globals = Globals(std::cell::UnsafeCell::new([0; 2048]));

fn globals(job: &mut Job) -> Result<(), String> {
    let g = GLOBALS.0.get() as *mut u64;
    let me = job.me() as u64;
    for i in 0..2048 {
        // SAFETY: our own static, not yet shared, no other thread uses it.
        unsafe {
            g.add(i)
                .write(if me == 0 { i as u64 * 3 } else { 1000 + me })
        };
    }
    // SAFETY: the static is private writable memory nothing else maps, and
    // no other thread of this process touches it.
    unsafe { job.dsm.share_existing(g as usize, 2048 * 8, 0) }.map_err(|e| e.to_string())?;
    job.barrier()?;
    for i in 0..2048 {
        // SAFETY: DSM memory now, the same on every node.
        let v = unsafe { g.add(i).read_volatile() };
        if v != i as u64 * 3 {
            return Err(format!(
                "node {me}: global word {i} is {v}, node 0 had {}",
                i * 3
            ));
        }
    }
    job.barrier()?;
    // Each node then writes its own word of every page; node 0 checks.
    for p in 0..4 {
        // SAFETY: as above.
        unsafe { g.add(p * 512 + me as usize + 1).write_volatile(7000 + me) };
    }
    job.barrier()?;
    if me == 0 {
        for p in 0..4 {
            for n in 0..job.n() as usize {
                // SAFETY: as above.
                let v = unsafe { g.add(p * 512 + n + 1).read_volatile() };
                if v != 7000 + n as u64 {
                    return Err(format!("page {p} word of node {n} is {v}"));
                }
            }
        }
        println!("RESULT globals ok");
    }
    Ok(())
}

extern "C" fn on_dsm_stack(arg: *mut libc::c_void) -> *mut libc::c_void {
    // Work that lives on this thread's stack: a recursive sum whose frames
    // are in the window.
    fn sum(n: u64) -> u64 {
        let frame = [n; 16];
        if n == 0 {
            0
        } else {
            std::hint::black_box(frame)[0] + sum(n - 1)
        }
    }
    let local = 0u8;
    let out = arg as *mut u64;
    // SAFETY: `arg` points to two u64 the spawning thread keeps alive
    // until it has joined this thread.
    unsafe {
        out.write(sum(1000));
        out.add(1).write(&local as *const u8 as u64);
    }
    std::ptr::null_mut()
}

fn stack(job: &mut Job) -> Result<(), String> {
    let size = 1 << 20;
    let st = job.dsm.heap().alloc_stack(size);
    if st.is_null() || !(st as usize).is_multiple_of(job.dsm.page_size()) {
        return Err(format!("alloc_stack gave {st:?}"));
    }
    let (arena, alen) = job.dsm.arena();
    if (st as usize) < arena || st as usize + size > arena + alen {
        return Err(format!("stack {st:?} is outside this node's arena"));
    }
    let mut out = [0u64; 2];
    // SAFETY: a pthread on a stack of `size` bytes that stays allocated
    // until after the join; `out` outlives the thread.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        libc::pthread_attr_init(&mut attr);
        if libc::pthread_attr_setstack(&mut attr, st as *mut libc::c_void, size) != 0 {
            return Err("pthread_attr_setstack failed".into());
        }
        let mut t: libc::pthread_t = 0;
        let r = libc::pthread_create(
            &mut t,
            &attr,
            on_dsm_stack,
            out.as_mut_ptr() as *mut libc::c_void,
        );
        if r != 0 {
            return Err(format!("pthread_create: {r}"));
        }
        libc::pthread_join(t, std::ptr::null_mut());
        libc::pthread_attr_destroy(&mut attr);
    }
    let frame = out[1] as usize;
    if frame < st as usize || frame >= st as usize + size {
        return Err(format!(
            "the thread's frame {frame:#x} is not on its DSM stack"
        ));
    }
    // Publish through DSM memory: node 0's reserved page, one word each.
    let slot = (job.fixed(0, 5) + 8 * job.me() as usize) as *mut u64;
    // SAFETY: the window; each node writes only its own word.
    unsafe { slot.write_volatile(out[0]) };
    job.barrier()?;
    if job.me() == 0 {
        for n in 0..job.n() as usize {
            // SAFETY: as above, reading.
            let v = unsafe { ((job.fixed(0, 5) + 8 * n) as *const u64).read_volatile() };
            if v != 500_500 {
                return Err(format!("node {n} computed {v} on its DSM stack"));
            }
        }
        println!("RESULT stack ok");
    }
    job.dsm.heap().free(st)?;
    Ok(())
}
