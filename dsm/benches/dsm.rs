//! DSM fault costs between processes over loopback, against the plain TCP
//! round trip and the transport's throughput measured in the same run
//! (issue #4's targets: a remote read fault at most 1.5x the plain TCP
//! 4 KiB round trip, an upgrade at most 1.2x the 64-byte round trip, a
//! sequential scan at least half the transport's 4 KiB throughput).
//!
//! `cargo bench -p pomp-dsm --bench dsm [-- ROUNDS] [--bind-to none]`: each
//! round runs a 4-node job of `pomp-dsm-node bench` (node 1 faults on pages
//! homed at node 0; nodes 2 and 3 are the other sharers) and the baselines;
//! the table gives the medians over the rounds, each figure's multiple of
//! its baseline as the median of the rounds' own ratios (stderr shows each
//! round's), and messages and bytes per fault.
//!
//! Binding: as `pomp run` binds local nodes, node k runs on CPU k mod the
//! CPUs this bench may use, so the faulting node and the home are on
//! different CPUs, and so are the two ends of the baselines (each end is a
//! node). `--bind-to none` lets the scheduler place everything: then a
//! node's hand-offs between its own threads (fault handler -> service
//! thread, progress thread -> faulting thread) may become wake-ups of
//! another CPU, which two separate machines never pay (on the 2-vCPU VM of
//! dsm/README.md: 22 us each, against 2 us on one CPU).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Instant;

use pomp_transport::{tcp, Config, Handle, Message, Secret};

/// The CPUs this process may run on, or none to leave placement alone.
static CPUS: std::sync::OnceLock<Vec<usize>> = std::sync::OnceLock::new();

/// Bind the calling thread to node `k`'s CPU (nothing when unbound).
fn bind(k: usize) {
    let cpus = CPUS.get().expect("CPUS set in main");
    if cpus.is_empty() {
        return;
    }
    // SAFETY: a zeroed cpu_set_t is a valid empty set; CPU_SET stays in
    // bounds for a CPU sched_getaffinity reported; sched_setaffinity reads
    // the set.
    let r = unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpus[k % cpus.len()], &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set)
    };
    assert_eq!(
        r,
        0,
        "sched_setaffinity: {}",
        std::io::Error::last_os_error()
    );
}

/// Every CPU of this process's affinity mask.
fn my_cpus() -> Vec<usize> {
    // SAFETY: as in `bind`; sched_getaffinity writes at most the set's size.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        assert_eq!(
            libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set),
            0
        );
        (0..libc::CPU_SETSIZE as usize)
            .filter(|&c| libc::CPU_ISSET(c, &set))
            .collect()
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// Plain blocking TCP ping-pong of `size` bytes: nanoseconds per round trip.
fn tcp_rtt(size: usize, n: usize) -> f64 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let echo = thread::spawn(move || {
        bind(1);
        let (mut s, _) = l.accept().unwrap();
        s.set_nodelay(true).unwrap();
        let mut buf = vec![0u8; size];
        while s.read_exact(&mut buf).is_ok() {
            if s.write_all(&buf).is_err() {
                break;
            }
        }
    });
    bind(0);
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_nodelay(true).unwrap();
    let out = vec![1u8; size];
    let mut back = vec![0u8; size];
    for _ in 0..n / 10 {
        c.write_all(&out).unwrap();
        c.read_exact(&mut back).unwrap();
    }
    let t0 = Instant::now();
    for _ in 0..n {
        c.write_all(&out).unwrap();
        c.read_exact(&mut back).unwrap();
    }
    let ns = t0.elapsed().as_nanos() as f64 / n as f64;
    drop(c);
    echo.join().unwrap();
    ns
}

/// pomp-transport one-way 4 KiB messages over loopback TCP: MB/s.
fn transport_4k_throughput(n: u64) -> f64 {
    const SINK: u16 = 2;
    const COUNT: u16 = 3;
    let secret = Secret::generate().unwrap();
    let ls = [tcp::listen(None).unwrap(), tcp::listen(None).unwrap()];
    let addrs: Vec<_> = ls.iter().map(|l| l.local_addr().unwrap()).collect();
    let mut ls = ls.into_iter();
    let (l0, l1) = (ls.next().unwrap(), ls.next().unwrap());
    let seen = Arc::new(AtomicU64::new(0));
    let s2 = seen.clone();
    let (a2, sec2) = (addrs.clone(), secret.clone());
    let peer = thread::spawn(move || {
        // The transport's threads start from (and inherit) this binding.
        bind(1);
        let h: pomp_transport::Handler = Box::new(move |net: &Handle, m: Message| {
            if m.kind == SINK {
                s2.fetch_add(1, Ordering::Relaxed);
            } else if m.kind == COUNT {
                let _ = net.reply(&m, COUNT, &s2.load(Ordering::Relaxed).to_le_bytes(), &[]);
            }
            None
        });
        tcp::connect(l1, 1, &a2, &sec2, Config::default(), Some(h)).unwrap()
    });
    bind(0);
    let node = tcp::connect(l0, 0, &addrs, &secret, Config::default(), None).unwrap();
    let _peer = peer.join().unwrap();
    let page = vec![5u8; 4096];
    let t0 = Instant::now();
    for _ in 0..n {
        node.send(1, SINK, &[], &page).unwrap();
    }
    let r = node.request(1, COUNT, &[], &[]).unwrap();
    let dt = t0.elapsed();
    assert_eq!(u64::from_le_bytes(r.header[..8].try_into().unwrap()), n);
    (n * 4096) as f64 / dt.as_secs_f64() / 1e6
}

/// One 4-node DSM bench job: per phase, node 1's time per fault and
/// faults, and the messages and bytes all nodes sent.
struct Phase {
    ns: f64,
    faults: f64,
    msgs: f64,
    bytes: f64,
}

fn dsm_job(reps: usize, scan_mib: usize) -> Vec<(String, Phase)> {
    let secret = Secret::generate().unwrap();
    let mut kids: Vec<_> = (0..4)
        .map(|k| {
            // The node's threads inherit the binding of the thread that
            // forks it.
            bind(k);
            Command::new(env!("CARGO_BIN_EXE_pomp-dsm-node"))
                .args(["bench", &reps.to_string(), &scan_mib.to_string()])
                .env("POMP_JOB_SECRET", secret.to_hex())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut outs = vec![];
    let mut ports = vec![];
    for k in kids.iter_mut() {
        let mut r = BufReader::new(k.stdout.take().unwrap());
        let mut l = String::new();
        r.read_line(&mut l).unwrap();
        ports.push(format!(
            "127.0.0.1:{}",
            l.trim().strip_prefix("PORT ").unwrap()
        ));
        outs.push(r);
    }
    for (i, k) in kids.iter_mut().enumerate() {
        writeln!(k.stdin.as_mut().unwrap(), "NODES {i} {}", ports.join(",")).unwrap();
    }
    let mut got: Vec<(String, Phase)> = vec![];
    let at = |name: &str, got: &mut Vec<(String, Phase)>| -> usize {
        if let Some(i) = got.iter().position(|(n, _)| n == name) {
            return i;
        }
        got.push((
            name.to_string(),
            Phase {
                ns: f64::NAN,
                faults: 0.0,
                msgs: 0.0,
                bytes: 0.0,
            },
        ));
        got.len() - 1
    };
    for (mut r, mut k) in outs.into_iter().zip(kids) {
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert!(k.wait().unwrap().success(), "a bench node failed:\n{s}");
        for l in s.lines() {
            let w: Vec<&str> = l.split_whitespace().collect();
            match w.as_slice() {
                ["BENCH", name, v] => {
                    let i = at(name, &mut got);
                    got[i].1.ns = v.parse().unwrap();
                }
                ["BENCH", name, v, f] => {
                    let i = at(name, &mut got);
                    got[i].1.ns = v.parse().unwrap();
                    got[i].1.faults = f.parse().unwrap();
                }
                ["PHASE", name, m, b] => {
                    let i = at(name, &mut got);
                    got[i].1.msgs += m.parse::<f64>().unwrap();
                    got[i].1.bytes += b.parse::<f64>().unwrap();
                }
                _ => {}
            }
        }
    }
    got
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rounds: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(5);
    let bound = !args
        .windows(2)
        .any(|w| w[0] == "--bind-to" && w[1] == "none");
    CPUS.set(if bound { my_cpus() } else { Vec::new() })
        .unwrap();
    // The main thread forks the nodes and runs one end of each baseline:
    // give every binding back at the end of a round.
    let all = my_cpus();
    let mut rtt64 = vec![];
    let mut rtt4k = vec![];
    let mut tput = vec![];
    let mut dsm: Vec<Vec<(String, Phase)>> = vec![];
    for r in 0..rounds {
        rtt64.push(tcp_rtt(64, 20000));
        rtt4k.push(tcp_rtt(4096, 20000));
        tput.push(transport_4k_throughput(50000));
        dsm.push(dsm_job(1000, 64));
        unbind(&all);
        let f = |name: &str| {
            dsm[r]
                .iter()
                .find(|(n, _)| n == name)
                .map_or(f64::NAN, |x| x.1.ns)
        };
        eprintln!(
            "round {} of {rounds}: read_fault {:.2}x, upgrade {:.2}x, scan {:.2}x",
            r + 1,
            f("read_fault") / rtt4k[r],
            f("upgrade") / rtt64[r],
            f("scan_MBps") / tput[r]
        );
    }
    let get = |name: &str, f: &dyn Fn(&Phase) -> f64| -> f64 {
        median(
            dsm.iter()
                .map(|v| {
                    v.iter()
                        .find(|(n, _)| n == name)
                        .map_or(f64::NAN, |x| f(&x.1))
                })
                .collect(),
        )
    };
    // Each figure's multiple of its baseline is the median of the rounds'
    // own ratios (fault and baseline measured seconds apart), which the
    // machine's drift from round to round moves less than a ratio of the
    // two medians.
    let ratio = |name: &str, f: &dyn Fn(&Phase) -> f64, base: &[f64]| -> f64 {
        median(
            dsm.iter()
                .zip(base)
                .map(|(v, b)| {
                    v.iter()
                        .find(|(n, _)| n == name)
                        .map_or(f64::NAN, |x| f(&x.1) / b)
                })
                .collect(),
        )
    };
    let (r64, r4k, tp) = (
        median(rtt64.clone()),
        median(rtt4k.clone()),
        median(tput.clone()),
    );
    println!(
        "\nDSM between 4 processes over loopback (medians of {rounds} rounds, this run; {})",
        if bound {
            "node k bound to CPU k mod the CPUs, as pomp run binds"
        } else {
            "not bound"
        }
    );
    println!(
        "plain TCP round trip: 64 B {:.1} us, 4 KiB {:.1} us; transport 4 KiB one-way {tp:.0} MB/s\n",
        r64 / 1e3,
        r4k / 1e3
    );
    println!(
        "{:<24} {:>10} {:>14} {:>8} {:>10} {:>12}",
        "", "us/fault", "x baseline", "target", "msgs/fault", "bytes/fault"
    );
    for (name, base, bname, target) in [
        ("read_fault", &rtt4k, "4K-rtt", "<= 1.5"),
        ("upgrade", &rtt64, "64B-rtt", "<= 1.2"),
        ("write_fault_home_owner", &rtt4k, "4K-rtt", ""),
        ("write_fault_1_sharer", &rtt4k, "4K-rtt", ""),
        ("write_fault_2_sharers", &rtt4k, "4K-rtt", ""),
    ] {
        let v = get(name, &|p| p.ns);
        let f = get(name, &|p| p.faults).max(1.0);
        println!(
            "{:<24} {:>10.1} {:>6.2} {:<7} {:>8} {:>10.1} {:>12.0}",
            name,
            v / 1e3,
            ratio(name, &|p| p.ns, base),
            bname,
            target,
            get(name, &|p| p.msgs) / f,
            get(name, &|p| p.bytes) / f,
        );
    }
    let scan = get("scan_MBps", &|p| p.ns);
    let sf = get("scan_faults", &|p| p.faults).max(1.0);
    println!(
        "{:<24} {:>5.0} MB/s {:>6.2} {:<7} {:>8} {:>10.1} {:>12.0}",
        "scan 64 MiB",
        scan,
        ratio("scan_MBps", &|p| p.ns, &tput),
        "tput",
        ">= 0.5",
        get("scan", &|p| p.msgs) / sf,
        get("scan", &|p| p.bytes) / sf,
    );
    println!("(scan: {sf:.0} faults for 16384 pages)");
}

/// Let the calling thread run on every CPU in `all` again.
fn unbind(all: &[usize]) {
    // SAFETY: as in `bind`.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        for &c in all {
            libc::CPU_SET(c, &mut set);
        }
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}
