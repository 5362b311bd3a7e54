//! Two nodes in two network namespaces joined by a veth pair: the mesh
//! forms over a real (virtual) link, carries requests, and when the link is
//! cut the silence is reported as the peer's failure. Skipped, saying why,
//! where namespaces cannot be created (not root, no `ip`).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const NODE_BIN: &str = env!("CARGO_BIN_EXE_pomp-transport-node");

fn ip(args: &[&str]) -> Result<(), String> {
    let out = Command::new("ip")
        .args(args)
        .output()
        .map_err(|e| format!("ip: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "ip {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Removes the namespaces (and with them the veth pair) however the test ends.
struct Netns {
    names: Vec<String>,
}

impl Drop for Netns {
    fn drop(&mut self) {
        for n in &self.names {
            let _ = ip(&["netns", "del", n]);
        }
    }
}

struct NodeProc {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl NodeProc {
    fn start(ns: &str, args: &[&str], secret: &str) -> NodeProc {
        let mut child = Command::new("ip")
            .args(["netns", "exec", ns, NODE_BIN])
            .args(args)
            .env("POMP_JOB_SECRET", secret)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start a node in a namespace");
        let out = BufReader::new(child.stdout.take().unwrap());
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for l in out.lines().map_while(Result::ok) {
                if tx.send(l).is_err() {
                    return;
                }
            }
        });
        NodeProc { child, lines }
    }

    fn line(&self, within: Duration) -> String {
        self.lines
            .recv_timeout(within)
            .unwrap_or_else(|e| panic!("node said nothing within {within:?}: {e}"))
    }
}

impl Drop for NodeProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn mesh_across_namespaces_and_a_cut_link() {
    let id = std::process::id();
    let (na, nb) = (format!("pomp-t{id}a"), format!("pomp-t{id}b"));
    let (va, vb) = (format!("pv{id}a"), format!("pv{id}b"));
    if let Err(e) = ip(&["netns", "add", &na]) {
        eprintln!("skipped: cannot create a network namespace here ({e})");
        return;
    }
    let _guard = Netns {
        names: vec![na.clone(), nb.clone()],
    };
    let net = format!("10.{}.{}", 200 + id % 50, (id / 50) % 250);
    let (aa, ab) = (format!("{net}.1"), format!("{net}.2"));
    let setup = || -> Result<(), String> {
        ip(&["netns", "add", &nb])?;
        ip(&["link", "add", &va, "type", "veth", "peer", "name", &vb])?;
        ip(&["link", "set", &va, "netns", &na])?;
        ip(&["link", "set", &vb, "netns", &nb])?;
        for (ns, dev, addr) in [(&na, &va, &aa), (&nb, &vb, &ab)] {
            ip(&["-n", ns, "addr", "add", &format!("{addr}/24"), "dev", dev])?;
            ip(&["-n", ns, "link", "set", dev, "up"])?;
            ip(&["-n", ns, "link", "set", "lo", "up"])?;
        }
        Ok(())
    };
    setup().expect("set up two namespaces and a veth pair");

    let secret = pomp_transport::Secret::generate().unwrap().to_hex();
    let t = Duration::from_secs(20);
    // Node 1 serves; node 0 runs 100 echoes through it, then reports events.
    let mut n1 = NodeProc::start(
        &nb,
        &[
            "--listen",
            &format!("{ab}:0"),
            "--peer-timeout-ms",
            "1000",
            "serve",
        ],
        &secret,
    );
    let mut n0 = NodeProc::start(
        &na,
        &[
            "--listen",
            &format!("{aa}:0"),
            "--peer-timeout-ms",
            "1000",
            "client",
            "1",
        ],
        &secret,
    );
    let port = |n: &NodeProc| {
        n.line(t)
            .strip_prefix("PORT ")
            .expect("PORT line")
            .to_string()
    };
    let (p0, p1) = (port(&n0), port(&n1));
    let list = format!("{aa}:{p0},{ab}:{p1}");
    for (i, n) in [&mut n0, &mut n1].into_iter().enumerate() {
        writeln!(n.child.stdin.as_mut().unwrap(), "NODES {i} {list}").unwrap();
    }
    assert_eq!(n0.line(t), "UP");
    assert_eq!(n1.line(t), "UP");
    assert_eq!(n0.line(t), "OK", "100 echoes across the veth pair");

    // Cut the link: no FIN, no RST, just silence.
    let cut = Instant::now();
    ip(&["-n", &na, "link", "set", &va, "down"]).unwrap();
    let failed = n0.line(Duration::from_secs(3));
    eprintln!("cut link reported after {:?}: {failed}", cut.elapsed());
    assert!(failed.starts_with("FAILED 1 silent for"), "{failed}");
}
