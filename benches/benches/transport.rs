//! Transport latency and throughput between two processes over loopback,
//! against a plain blocking TCP ping-pong in the same run (issue #3's
//! performance target: 4 KiB round trip at most 1.2x plain TCP, 64 KiB
//! throughput at least 80% of it).
//!
//! `cargo bench -p pomp-benches --bench transport` runs criterion on
//! `rtt/{pomp,tcp}/{64,4096}` and `throughput/{pomp,tcp}/{4096,65536}`,
//! then prints a table of criterion's medians and the ratios. The peer of
//! each pair is this same executable started again with
//! `POMP_TRANSPORT_BENCH_PEER` set.

use criterion::{BenchmarkId, Criterion, Throughput};
use pomp_transport::{tcp, Config, Handle, Handler, Message, Secret};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PEER_ENV: &str = "POMP_TRANSPORT_BENCH_PEER";
const ECHO: u16 = 1;
const SINK: u16 = 2;
const COUNT: u16 = 3;
const ECHO_BIT: u32 = 1 << 31;

fn main() {
    if let Ok(role) = std::env::var(PEER_ENV) {
        match role.as_str() {
            "pomp" => pomp_peer(),
            "tcp" => tcp_peer(),
            other => panic!("unknown bench peer {other}"),
        }
        return;
    }
    let mut c = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let (node, mut pomp_child) = start_pomp();
    let (mut plain, mut tcp_child) = start_tcp();

    let mut g = c.benchmark_group("rtt");
    for size in [64usize, 4096] {
        let payload = vec![7u8; size];
        let mut back = vec![0u8; size];
        g.bench_with_input(BenchmarkId::new("pomp", size), &size, |b, _| {
            b.iter(|| {
                let r = node
                    .request_into(1, ECHO, &[], &payload, &mut back)
                    .unwrap();
                assert_eq!(r.len, size);
            })
        });
        let frame = [(size as u32 | ECHO_BIT).to_le_bytes().as_slice(), &payload].concat();
        let mut buf = vec![0u8; size + 4];
        g.bench_with_input(BenchmarkId::new("tcp", size), &size, |b, _| {
            b.iter(|| {
                plain.write_all(&frame).unwrap();
                plain.read_exact(&mut buf).unwrap();
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("throughput");
    for size in [4096usize, 65536] {
        g.throughput(Throughput::Bytes(size as u64));
        let payload = vec![3u8; size];
        g.bench_with_input(BenchmarkId::new("pomp", size), &size, |b, _| {
            b.iter_custom(|iters| {
                let t0 = Instant::now();
                for _ in 0..iters {
                    node.send(1, SINK, &[], &payload).unwrap();
                }
                // The count request follows the messages on the same link,
                // so its answer means every message has been received.
                let r = node.request(1, COUNT, &[], &[]).unwrap();
                assert!(u64::from_le_bytes(r.payload[..8].try_into().unwrap()) >= iters);
                t0.elapsed()
            })
        });
        let frame = [(size as u32).to_le_bytes().as_slice(), &payload].concat();
        g.bench_with_input(BenchmarkId::new("tcp", size), &size, |b, _| {
            b.iter_custom(|iters| {
                let t0 = Instant::now();
                for _ in 0..iters {
                    plain.write_all(&frame).unwrap();
                }
                // A zero-length message asks for an acknowledgement.
                plain.write_all(&0u32.to_le_bytes()).unwrap();
                let mut ack = [0u8; 1];
                plain.read_exact(&mut ack).unwrap();
                t0.elapsed()
            })
        });
    }
    g.finish();
    c.final_summary();
    node.shutdown();
    drop(plain);
    let _ = pomp_child.wait();
    let _ = tcp_child.kill();
    let _ = tcp_child.wait();
    report();
}

/// Criterion's median estimates, side by side.
fn report() {
    let dir = std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"))
        .join("criterion");
    let median = |group: &str, who: &str, size: usize| -> Option<f64> {
        let p = dir
            .join(group)
            .join(who)
            .join(size.to_string())
            .join("new/estimates.json");
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok()?;
        v["median"]["point_estimate"].as_f64()
    };
    println!("\ntransport vs plain TCP (criterion medians, this run)");
    println!(
        "{:<22} {:>14} {:>14} {:>8}  target",
        "", "pomp", "plain tcp", "ratio"
    );
    for size in [64usize, 4096] {
        if let (Some(p), Some(t)) = (median("rtt", "pomp", size), median("rtt", "tcp", size)) {
            let target = if size == 4096 { "<= 1.20" } else { "" };
            println!(
                "{:<22} {:>11.2} us {:>11.2} us {:>8.2}  {target}",
                format!("round trip {size} B"),
                p / 1e3,
                t / 1e3,
                p / t
            );
        }
    }
    for size in [4096usize, 65536] {
        if let (Some(p), Some(t)) = (
            median("throughput", "pomp", size),
            median("throughput", "tcp", size),
        ) {
            let mbs = |ns: f64| size as f64 / ns * 1e3;
            let target = if size == 65536 { ">= 0.80" } else { "" };
            println!(
                "{:<22} {:>9.0} MB/s {:>9.0} MB/s {:>8.2}  {target}",
                format!("one-way {size} B"),
                mbs(p),
                mbs(t),
                t / p
            );
        }
    }
}

fn spawn_peer(role: &str, extra: &[(&str, String)]) -> Child {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.env(PEER_ENV, role)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd.spawn().expect("start the bench peer")
}

fn read_port(child: &mut Child) -> u16 {
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    line.trim()
        .parse()
        .unwrap_or_else(|_| panic!("peer said {line:?}"))
}

fn start_pomp() -> (pomp_transport::Node, Child) {
    let secret = Secret::generate().unwrap();
    let mut child = spawn_peer("pomp", &[("POMP_JOB_SECRET", secret.to_hex())]);
    let port = read_port(&mut child);
    let l = tcp::listen(None).unwrap();
    let addrs = [
        l.local_addr().unwrap(),
        SocketAddr::from(([127, 0, 0, 1], port)),
    ];
    writeln!(child.stdin.as_mut().unwrap(), "{}", addrs[0]).unwrap();
    let node = tcp::connect(l, 0, &addrs, &secret, Config::from_env(), None).unwrap();
    (node, child)
}

fn pomp_peer() {
    let l = tcp::listen(None).unwrap();
    println!("{}", l.local_addr().unwrap().port());
    std::io::stdout().flush().unwrap();
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).unwrap();
    let addrs = [line.trim().parse().unwrap(), l.local_addr().unwrap()];
    let secret = Secret::from_env().unwrap();
    let count = Arc::new(AtomicU64::new(0));
    let c2 = count.clone();
    let handler: Handler = Box::new(move |h: &Handle, m: Message| {
        match m.kind {
            ECHO => h.reply(&m, ECHO, &[], &m.payload).unwrap(),
            SINK => {
                c2.fetch_add(1, Ordering::Relaxed);
            }
            COUNT => h
                .reply(&m, COUNT, &[], &c2.load(Ordering::Relaxed).to_le_bytes())
                .unwrap(),
            _ => return Some(m),
        }
        None
    });
    let node = tcp::connect(l, 1, &addrs, &secret, Config::from_env(), Some(handler)).unwrap();
    // Serve until node 0 leaves.
    while let Ok(ev) = node.recv() {
        if matches!(
            ev,
            pomp_transport::Event::PeerLeft { .. } | pomp_transport::Event::PeerFailed { .. }
        ) {
            break;
        }
    }
}

fn start_tcp() -> (TcpStream, Child) {
    let mut child = spawn_peer("tcp", &[]);
    let port = read_port(&mut child);
    let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_nodelay(true).unwrap();
    (s, child)
}

/// The plain peer: length-prefixed messages. Bit 31 of the length asks
/// for the message to be echoed (round trips); a zero length asks for one
/// acknowledgement byte (the end of a throughput run).
fn tcp_peer() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    println!("{}", l.local_addr().unwrap().port());
    std::io::stdout().flush().unwrap();
    let (mut s, _) = l.accept().unwrap();
    s.set_nodelay(true).unwrap();
    let mut buf = vec![0u8; 4 + 65536];
    loop {
        let mut len = [0u8; 4];
        if s.read_exact(&mut len).is_err() {
            return;
        }
        let word = u32::from_le_bytes(len);
        let n = (word & !ECHO_BIT) as usize;
        if n == 0 {
            s.write_all(&[1]).unwrap();
            continue;
        }
        s.read_exact(&mut buf[4..4 + n]).unwrap();
        if word & ECHO_BIT != 0 {
            buf[..4].copy_from_slice(&(n as u32).to_le_bytes());
            s.write_all(&buf[..4 + n]).unwrap();
        }
    }
}
