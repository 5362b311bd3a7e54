//! One node of a transport test job, driven by the integration tests and
//! the benchmarks: it binds a listener, prints `PORT <port>`, reads
//! `NODES <list>` from stdin (the launcher's role), joins the mesh with the
//! secret from the environment, prints `UP`, and then plays a role:
//!
//! - `serve`: answer kind 1 requests with their payload (on the progress
//!   thread), echo kind 3 messages back as kind 4, and on kind 2 (on the
//!   main thread, via the receive queue) ask the node named in its header
//!   for an echo and return that answer. Exits when node 0 leaves or fails.
//! - `stream THREADS COUNT`: send COUNT numbered messages (kind 5) to node 0
//!   from each of THREADS threads while checking node 0's numbered messages
//!   to us; answer node 0's kind 6 request with the number of frames seen
//!   out of order.
//! - `client PEER`: echo 100 requests of growing size through PEER, print
//!   `OK`, then report events (`FAILED <node> <reason>`) until stdin closes.
//!
//! Usage: pomp-transport-node [--listen ADDR] [--peer-timeout-ms N] ROLE ARGS

use pomp_transport::{tcp, Config, Event, Handle, Handler, Message, Secret};
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pomp-transport-node: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut listen: Option<SocketAddr> = None;
    let mut cfg = Config::from_env();
    while args.first().is_some_and(|a| a.starts_with("--")) {
        let flag = args.remove(0);
        let val = if args.is_empty() {
            return Err(format!("{flag} needs a value"));
        } else {
            args.remove(0)
        };
        match flag.as_str() {
            "--listen" => listen = Some(val.parse().map_err(|e| format!("--listen {val}: {e}"))?),
            "--peer-timeout-ms" => {
                let ms: u64 = val
                    .parse()
                    .map_err(|e| format!("--peer-timeout-ms {val}: {e}"))?;
                cfg.peer_timeout = Duration::from_millis(ms);
                cfg.heartbeat = cfg.peer_timeout / 4;
            }
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    let role = args.first().cloned().ok_or("no role given")?;
    let secret = Secret::from_env()?;
    let listener = tcp::listen(listen).map_err(|e| format!("listen: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    println!("PORT {port}");
    std::io::stdout().flush().ok();
    let mut line = String::new();
    let stdin = std::io::stdin();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let mut it = line.split_whitespace();
    if it.next() != Some("NODES") {
        return Err(format!("expected NODES line, got {line:?}"));
    }
    let me: u32 = it
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or("NODES <id> <list>")?;
    let addrs = tcp::parse_nodes(it.next().ok_or("NODES <id> <list>")?)?;

    let stream_state = Arc::new(Mutex::new(HashMap::<u32, u64>::new()));
    let disorder = Arc::new(Mutex::new(0u64));
    let handler: Option<Handler> = match role.as_str() {
        "serve" => Some(Box::new(serve_handler)),
        "stream" => {
            let (st, dis) = (stream_state.clone(), disorder.clone());
            Some(Box::new(move |h: &Handle, m: Message| {
                if m.kind == 5 {
                    check_numbered(&m, &st, &dis);
                    return None;
                }
                if m.kind == 6 {
                    let d = *dis.lock().unwrap();
                    let seen: u64 = st.lock().unwrap().values().sum();
                    let _ = h.reply(&m, 6, &d.to_le_bytes(), &seen.to_le_bytes());
                    return None;
                }
                Some(m)
            }))
        }
        _ => None,
    };
    let node =
        tcp::connect(listener, me, &addrs, &secret, cfg, handler).map_err(|e| e.to_string())?;
    println!("UP");
    std::io::stdout().flush().ok();

    match role.as_str() {
        "serve" => loop {
            match node.recv().map_err(|e| e.to_string())? {
                Event::Message(m) if m.kind == 2 => {
                    let via =
                        u32::from_le_bytes(m.header[..4].try_into().map_err(|_| "short header")?);
                    match node.request(via, 1, &[], &m.payload) {
                        Ok(r) => node.reply(&m, 2, &[], &r.payload),
                        Err(e) => node.reply_error(&m, &e.to_string()),
                    }
                    .map_err(|e| e.to_string())?;
                }
                Event::Message(_) => {}
                Event::PeerLeft { node: 0 } => return Ok(()),
                Event::PeerFailed { node: 0, reason } => {
                    return Err(format!("node 0 failed: {reason}"))
                }
                Event::PeerLeft { .. } | Event::PeerFailed { .. } => {}
            }
        },
        "stream" => {
            let threads: u32 = args
                .get(1)
                .and_then(|s| s.parse().ok())
                .ok_or("stream THREADS COUNT")?;
            let count: u64 = args
                .get(2)
                .and_then(|s| s.parse().ok())
                .ok_or("stream THREADS COUNT")?;
            std::thread::scope(|s| {
                for t in 0..threads {
                    let node = &node;
                    s.spawn(move || {
                        for i in 0..count {
                            let mut h = [0u8; 12];
                            h[..4].copy_from_slice(&t.to_le_bytes());
                            h[4..].copy_from_slice(&i.to_le_bytes());
                            let payload = vec![(i % 251) as u8; (i % 7) as usize * 300];
                            node.send(0, 5, &h, &payload).expect("send to node 0");
                        }
                    });
                }
            });
            // Wait for node 0 to leave.
            loop {
                match node.recv().map_err(|e| e.to_string())? {
                    Event::PeerLeft { node: 0 } => return Ok(()),
                    Event::PeerFailed { node: 0, reason } => {
                        return Err(format!("node 0 failed: {reason}"))
                    }
                    _ => {}
                }
            }
        }
        "client" => {
            let peer: u32 = args
                .get(1)
                .and_then(|s| s.parse().ok())
                .ok_or("client PEER")?;
            for i in 0..100usize {
                let payload: Vec<u8> = (0..i * 97).map(|k| (k * 31 + i) as u8).collect();
                let r = node
                    .request(peer, 1, &[], &payload)
                    .map_err(|e| e.to_string())?;
                if r.payload != payload {
                    return Err(format!("echo {i} came back wrong"));
                }
            }
            println!("OK");
            std::io::stdout().flush().ok();
            loop {
                match node
                    .recv_timeout(Duration::from_millis(100))
                    .map_err(|e| e.to_string())?
                {
                    Some(Event::PeerFailed { node, reason }) => {
                        println!("FAILED {node} {reason}");
                        std::io::stdout().flush().ok();
                    }
                    Some(Event::PeerLeft { node }) => println!("LEFT {node}"),
                    _ => {}
                }
            }
        }
        other => Err(format!("unknown role {other}")),
    }
}

/// Requests of kind 1 are echoed right on the progress thread; kind 3
/// one-way messages come back as kind 4; the rest go to the main loop.
fn serve_handler(h: &Handle, m: Message) -> Option<Message> {
    match m.kind {
        1 => {
            let _ = h.reply(&m, 1, &m.header, &m.payload);
            None
        }
        3 => {
            let _ = h.send(m.from, 4, &m.header, &m.payload);
            None
        }
        _ => Some(m),
    }
}

fn check_numbered(m: &Message, st: &Mutex<HashMap<u32, u64>>, dis: &Mutex<u64>) {
    let ok = m.header.len() == 12;
    let t = if ok {
        u32::from_le_bytes(m.header[..4].try_into().unwrap())
    } else {
        u32::MAX
    };
    let i = if ok {
        u64::from_le_bytes(m.header[4..].try_into().unwrap())
    } else {
        u64::MAX
    };
    let mut st = st.lock().unwrap();
    let next = st.entry(t).or_insert(0);
    let want_payload = vec![(i % 251) as u8; (i % 7) as usize * 300];
    if i != *next || m.payload != want_payload {
        *dis.lock().unwrap() += 1;
    }
    *next = i.wrapping_add(1);
}
