//! Multi-process tests of the TCP mesh: the test process is node 0 (or the
//! launcher only), the other nodes are `pomp-transport-node` processes
//! bootstrapped the way a launcher does it (each binds a free port and
//! reports it; the launcher hands out the node list; the secret travels in
//! the environment, never on a command line).

use pomp_transport::auth::handshake;
use pomp_transport::{tcp, Config, Error, Event, Node, Secret};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const NODE_BIN: &str = env!("CARGO_BIN_EXE_pomp-transport-node");

struct Proc {
    child: Child,
    stdin: Option<ChildStdin>,
    out: BufReader<ChildStdout>,
}

impl Proc {
    fn spawn(prefix: &[&str], args: &[&str], secret: &Secret) -> (Proc, u16) {
        let mut cmd = if prefix.is_empty() {
            Command::new(NODE_BIN)
        } else {
            let mut c = Command::new(prefix[0]);
            c.args(&prefix[1..]).arg(NODE_BIN);
            c
        };
        let mut child = cmd
            .args(args)
            .env("POMP_JOB_SECRET", secret.to_hex())
            .env_remove("POMP_JOB_SECRET_FILE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn pomp-transport-node");
        let stdin = child.stdin.take();
        let out = BufReader::new(child.stdout.take().unwrap());
        let mut p = Proc { child, stdin, out };
        let line = read_line(&mut p.out);
        let port = line
            .strip_prefix("PORT ")
            .and_then(|s| s.trim().parse().ok());
        let port = port.unwrap_or_else(|| {
            panic!(
                "node did not report its port: {line:?}; stderr: {}",
                p.stderr()
            )
        });
        (p, port)
    }

    fn tell(&mut self, me: u32, nodes: &str) {
        writeln!(self.stdin.as_mut().unwrap(), "NODES {me} {nodes}").unwrap();
    }

    fn expect(&mut self, want: &str) -> String {
        let line = read_line(&mut self.out);
        assert!(
            line.starts_with(want),
            "expected {want:?}, node said {line:?}; stderr: {}",
            self.stderr()
        );
        line
    }

    fn stderr(&mut self) -> String {
        let _ = self.child.kill();
        let mut s = String::new();
        if let Some(e) = self.child.stderr.as_mut() {
            let _ = e.read_to_string(&mut s);
        }
        s
    }

    fn wait_ok(&mut self) {
        drop(self.stdin.take());
        let st = self.child.wait().unwrap();
        assert!(st.success(), "node exited with {st}");
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_line(r: &mut impl BufRead) -> String {
    let mut s = String::new();
    r.read_line(&mut s).unwrap();
    s
}

fn loopback(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// Node 0 here, `roles.len()` child nodes; returns node 0 and the children.
fn job(roles: &[&[&str]], cfg: Config) -> (Node, Vec<Proc>) {
    let secret = Secret::generate().unwrap();
    let l0 = tcp::listen(None).unwrap();
    let mut addrs = vec![l0.local_addr().unwrap()];
    let mut procs = Vec::new();
    for r in roles {
        let (p, port) = Proc::spawn(&[], r, &secret);
        addrs.push(loopback(port));
        procs.push(p);
    }
    let list: Vec<String> = addrs.iter().map(|a| a.to_string()).collect();
    for (i, p) in procs.iter_mut().enumerate() {
        p.tell(i as u32 + 1, &list.join(","));
    }
    let node = tcp::connect(l0, 0, &addrs, &secret, cfg, None).expect("node 0 joins the mesh");
    for p in procs.iter_mut() {
        p.expect("UP");
    }
    (node, procs)
}

#[test]
fn three_nodes_request_broadcast_and_relay() {
    let (node, mut procs) = job(&[&["serve"], &["serve"]], Config::default());
    assert_eq!((node.id(), node.nodes()), (0, 3));
    for to in [1, 2] {
        for size in [0usize, 64, 4096, 65536, 1 << 20] {
            let payload: Vec<u8> = (0..size).map(|i| (i * 7 + to as usize) as u8).collect();
            let r = node.request(to, 1, b"hdr", &payload).unwrap();
            assert_eq!((r.from, r.kind, &r.header[..]), (to, 1, &b"hdr"[..]));
            assert_eq!(r.payload, payload);
            // The page case: the reply lands straight in our buffer.
            let mut buf = vec![0u8; size + 10];
            let rep = node.request_into(to, 1, b"", &payload, &mut buf).unwrap();
            assert_eq!(rep.len, size);
            assert_eq!(&buf[..size], &payload[..]);
        }
    }
    // A buffer too small for the reply is an error, not an overflow.
    let mut small = [0u8; 10];
    assert_eq!(
        node.request_into(1, 1, b"", &[1u8; 100], &mut small),
        Err(Error::ReplyTooLong { len: 100, cap: 10 })
    );
    // Broadcast reaches every other node; each echoes it as kind 4.
    node.broadcast(3, b"bc", b"to all").unwrap();
    let mut from = Vec::new();
    while from.len() < 2 {
        match node.recv_timeout(Duration::from_secs(10)).unwrap() {
            Some(Event::Message(m)) => {
                assert_eq!((m.kind, &m.payload[..]), (4, &b"to all"[..]));
                from.push(m.from);
            }
            other => panic!("expected echoes of the broadcast, got {other:?}"),
        }
    }
    from.sort();
    assert_eq!(from, [1, 2]);
    // Node 1 asks node 2 on our behalf: the children are connected too.
    let r = node.request(1, 2, &2u32.to_le_bytes(), b"relayed").unwrap();
    assert_eq!(r.payload, b"relayed");
    node.shutdown();
    for p in procs.iter_mut() {
        p.wait_ok();
    }
}

#[test]
fn many_threads_no_loss_no_reordering() {
    const THREADS: u32 = 4;
    const COUNT: u64 = 3000;
    let seen: Arc<Mutex<HashMap<(u32, u32), u64>>> = Arc::default();
    let (node, mut procs) = job(
        &[&["stream", "4", "3000"], &["stream", "4", "3000"]],
        Config::default(),
    );
    // Our own threads stream to both children while they stream to us.
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let node = &node;
            s.spawn(move || {
                for i in 0..COUNT {
                    let mut h = [0u8; 12];
                    h[..4].copy_from_slice(&t.to_le_bytes());
                    h[4..].copy_from_slice(&i.to_le_bytes());
                    let payload = vec![(i % 251) as u8; (i % 7) as usize * 300];
                    for to in [1, 2] {
                        node.send(to, 5, &h, &payload).unwrap();
                    }
                }
            });
        }
        let mut got = 0u64;
        while got < 2 * THREADS as u64 * COUNT {
            match node.recv_timeout(Duration::from_secs(20)).unwrap() {
                Some(Event::Message(m)) => {
                    assert_eq!(m.kind, 5);
                    let t = u32::from_le_bytes(m.header[..4].try_into().unwrap());
                    let i = u64::from_le_bytes(m.header[4..].try_into().unwrap());
                    let mut seen = seen.lock().unwrap();
                    let next = seen.entry((m.from, t)).or_insert(0);
                    assert_eq!(
                        i, *next,
                        "node {} thread {t}: message {i} arrived when {} was due",
                        m.from, *next
                    );
                    assert_eq!(m.payload, vec![(i % 251) as u8; (i % 7) as usize * 300]);
                    *next += 1;
                    got += 1;
                }
                other => panic!("stream stopped after {got} messages: {other:?}"),
            }
        }
    });
    // Each child counted ours in order: ask it (the reply follows our
    // messages on the same connection, so all of them have been read).
    for to in [1, 2] {
        let r = node.request(to, 6, &[], &[]).unwrap();
        let disorder = u64::from_le_bytes(r.header[..8].try_into().unwrap());
        let seen = u64::from_le_bytes(r.payload[..8].try_into().unwrap());
        assert_eq!((disorder, seen), (0, THREADS as u64 * COUNT), "node {to}");
    }
    node.shutdown();
    for p in procs.iter_mut() {
        p.wait_ok();
    }
}

fn wait_failure(node: &Node, who: u32, within: Duration) -> (Duration, String) {
    let t0 = Instant::now();
    loop {
        let left = within.saturating_sub(t0.elapsed());
        match node.recv_timeout(left).unwrap() {
            Some(Event::PeerFailed { node: n, reason }) if n == who => {
                return (t0.elapsed(), reason)
            }
            Some(_) => continue,
            None => panic!("node {who}'s failure was not reported within {within:?}"),
        }
    }
}

#[test]
fn killed_peer_is_reported_and_its_requests_fail() {
    let (node, mut procs) = job(&[&["serve"], &["serve"]], Config::default());
    assert_eq!(node.request(1, 1, &[], b"x").unwrap().payload, b"x");
    procs[0].child.kill().unwrap();
    // The bound is the default peer timeout (1.5 s) plus a heartbeat; a
    // killed process's connection is reset at once, well inside it.
    let (took, reason) = wait_failure(&node, 1, Duration::from_secs(2));
    eprintln!("killed node reported after {took:?}: {reason}");
    assert!(!node.is_up(1));
    assert!(matches!(
        node.request(1, 1, &[], b"x"),
        Err(Error::PeerFailed { node: 1, .. })
    ));
    assert!(matches!(
        node.send(1, 3, &[], b"x"),
        Err(Error::PeerFailed { node: 1, .. })
    ));
    // The other peer is unaffected.
    assert_eq!(node.request(2, 1, &[], b"y").unwrap().payload, b"y");
}

#[test]
fn silent_peer_is_reported_within_the_bound() {
    let cfg = Config::default();
    let bound = cfg.peer_timeout + cfg.heartbeat;
    assert!(
        bound <= Duration::from_secs(2),
        "the default bound is at most 2 s"
    );
    let (node, procs) = job(&[&["serve"]], cfg);
    assert_eq!(node.request(1, 1, &[], b"x").unwrap().payload, b"x");
    // A stopped process keeps its connection open but says nothing.
    let pid = procs[0].child.id() as i32;
    // SAFETY: kill(2) on our own child's pid; no memory is involved.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGSTOP) }, 0);
    let (took, reason) = wait_failure(&node, 1, bound + Duration::from_secs(1));
    eprintln!("stopped node reported after {took:?}: {reason}");
    assert!(reason.contains("silent"), "{reason}");
    // SAFETY: as above.
    unsafe { libc::kill(pid, libc::SIGCONT) };
}

#[test]
fn a_polling_progress_thread_loses_nothing_and_still_reports_silence() {
    // A window longer than the silence bound: the peer's silence must be
    // judged while the progress thread is still polling.
    let cfg = Config {
        poll: Duration::from_secs(5),
        ..Config::default()
    };
    let bound = cfg.peer_timeout + cfg.heartbeat;
    let (node, procs) = job(&[&["serve"]], cfg);
    for i in 0..2000u32 {
        let payload = vec![(i % 251) as u8; (i % 5) as usize * 1000];
        let r = node
            .request_timeout(
                1,
                1,
                &i.to_le_bytes(),
                &payload,
                Some(Duration::from_secs(10)),
            )
            .unwrap();
        assert_eq!(r.payload, payload, "echo {i}");
    }
    let pid = procs[0].child.id() as i32;
    // SAFETY: kill(2) on our own child's pid; no memory is involved.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGSTOP) }, 0);
    let (_, reason) = wait_failure(&node, 1, bound + Duration::from_secs(1));
    assert!(reason.contains("silent"), "{reason}");
    // SAFETY: as above.
    unsafe { libc::kill(pid, libc::SIGCONT) };
}

#[test]
fn handshake_rejects_wrong_secret_no_secret_and_garbage() {
    let secret = Secret::generate().unwrap();
    // Node 0 is a child process (its log is what we check); we are node 1,
    // after three impostors have tried.
    let (mut p0, port) = Proc::spawn(&[], &["serve"], &secret);
    let l1 = tcp::listen(None).unwrap();
    let addrs = [loopback(port), l1.local_addr().unwrap()];
    let list: Vec<String> = addrs.iter().map(|a| a.to_string()).collect();
    p0.tell(0, &list.join(","));

    // 1. The right protocol, the wrong secret.
    let mut s = connect_retry(addrs[0]);
    let wrong = Secret::generate().unwrap();
    let r = handshake(&mut s, &wrong, 1, 2, |p| p == 0);
    assert!(r.is_err(), "a wrong secret must not authenticate");
    assert_closed(&mut s);
    // 2. No secret at all: connect and send nothing, then hang up.
    let s = connect_retry(addrs[0]);
    drop(s);
    // 3. Garbage.
    let mut s = connect_retry(addrs[0]);
    s.write_all(&[0xAAu8; 300]).unwrap();
    assert_closed(&mut s);
    // 4. A frame before any handshake.
    let mut s = connect_retry(addrs[0]);
    let frame = pomp_transport::wire::encode_frame(
        &pomp_transport::wire::FrameHeader::one_way(1, 1, 1),
        b"",
        b"",
    );
    s.write_all(&[frame.clone(), frame].concat()).unwrap();
    assert_closed(&mut s);

    // The genuine node 1 still gets in, and the job works.
    let node = tcp::connect(l1, 1, &addrs, &secret, Config::default(), None).unwrap();
    p0.expect("UP");
    assert_eq!(node.request(0, 1, &[], b"hello").unwrap().payload, b"hello");
    node.shutdown();
    let log = p0.stderr();
    let dropped = log
        .lines()
        .filter(|l| l.contains("dropped connection from"))
        .count();
    assert!(dropped >= 3, "each impostor is logged; log was:\n{log}");
    assert!(
        log.contains("failed to prove the job secret") || log.contains("bad proof"),
        "{log}"
    );
    assert!(log.contains("not a pomp node"), "{log}");
}

fn connect_retry(a: SocketAddr) -> TcpStream {
    let t0 = Instant::now();
    loop {
        match TcpStream::connect(a) {
            Ok(s) => {
                s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                return s;
            }
            Err(_) if t0.elapsed() < Duration::from_secs(10) => {
                std::thread::sleep(Duration::from_millis(10))
            }
            Err(e) => panic!("connect {a}: {e}"),
        }
    }
}

/// The node must close the connection having sent nothing but its hello
/// (49 bytes): no proof, no acknowledgement, no frame.
fn assert_closed(s: &mut TcpStream) {
    let mut buf = Vec::new();
    match s.read_to_end(&mut buf) {
        Ok(_) => {}
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}"),
    }
    assert!(
        buf.len() <= 49,
        "{} bytes sent to an unauthenticated peer",
        buf.len()
    );
}

#[test]
fn malformed_frames_from_an_authenticated_peer_fail_it_by_name() {
    use pomp_transport::wire::{encode_frame, FrameHeader};
    let ok = FrameHeader::one_way(1, 1, 1);
    let mut bad_version = encode_frame(&ok, b"", b"");
    bad_version[4] = 9;
    let mut oversized = encode_frame(&ok, b"", b"");
    oversized[32..36].copy_from_slice(&u32::MAX.to_le_bytes());
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("protocol version 9", bad_version),
        ("exceeds the bound", oversized),
        (
            "claims to come from node 5",
            encode_frame(&FrameHeader { src: 5, ..ok }, b"", b""),
        ),
        (
            "sequence 7, expected 2",
            [
                encode_frame(&ok, b"", b"fine"),
                encode_frame(&FrameHeader { seq: 7, ..ok }, b"", b""),
            ]
            .concat(),
        ),
        ("bad magic", vec![0x55; 40]),
        ("closed by peer", encode_frame(&ok, b"", b"")[..20].to_vec()),
    ];
    for (want, bytes) in cases {
        let secret = Secret::generate().unwrap();
        let l0 = tcp::listen(None).unwrap();
        let addrs = vec![l0.local_addr().unwrap(), loopback(1)];
        let (a, s) = (addrs.clone(), secret.clone());
        let t = std::thread::spawn(move || {
            tcp::connect(l0, 0, &a, &s, Config::default(), None).unwrap()
        });
        let mut sock = connect_retry(addrs[0]);
        assert_eq!(handshake(&mut sock, &secret, 1, 2, |p| p == 0).unwrap(), 0);
        let node = t.join().unwrap();
        sock.write_all(&bytes).unwrap();
        if want == "closed by peer" {
            drop(sock);
            let (_, reason) = wait_failure(&node, 1, Duration::from_secs(10));
            assert!(reason.contains(want), "{reason}");
            continue;
        }
        let mut got = Vec::new();
        let reason = loop {
            match node.recv_timeout(Duration::from_secs(10)).unwrap() {
                Some(Event::Message(m)) => got.push(m),
                Some(Event::PeerFailed { node: 1, reason }) => break reason,
                other => panic!("{want}: {other:?}"),
            }
        };
        assert!(
            reason.contains(want) && reason.contains("127.0.0.1"),
            "{want}: {reason}"
        );
        // Frames before the bad one were delivered, nothing after it.
        assert!(got.iter().all(|m| m.payload == b"fine"));
        assert!(!node.is_up(1));
        // The connection is closed: our next read sees EOF or a reset.
        sock.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut rest = Vec::new();
        let _ = sock.read_to_end(&mut rest);
    }
}
