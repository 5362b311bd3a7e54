//! Multi-process DSM tests: 2 and 3 processes of `pomp-dsm-node` over
//! loopback TCP, each with the window at the same address, as in a job.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use pomp_transport::Secret;

struct Run {
    status: Vec<ExitStatus>,
    out: Vec<Vec<String>>,
    err: Vec<String>,
}

impl Run {
    fn results(&self) -> Vec<String> {
        self.out
            .iter()
            .flatten()
            .filter_map(|l| l.strip_prefix("RESULT ").map(String::from))
            .collect()
    }

    fn assert_ok(&self) {
        for (i, s) in self.status.iter().enumerate() {
            assert!(
                s.success(),
                "node {i}: {s:?}\nstdout: {:?}\nstderr of every node: {:?}",
                self.out[i],
                self.err
            );
        }
        for (i, e) in self.err.iter().enumerate() {
            assert!(!e.contains("refused"), "node {i} refused messages: {e}");
        }
    }
}

/// Run `n` nodes of `role`, with a time limit.
fn job(n: usize, role: &[&str], env: &[(&str, &str)]) -> Run {
    job_env(n, role, |_| env.to_vec())
}

/// [`job`] with each node's own environment.
fn job_env<'a>(n: usize, role: &[&str], env: impl Fn(usize) -> Vec<(&'a str, &'a str)>) -> Run {
    let secret = Secret::generate().unwrap();
    let mut kids: Vec<Child> = (0..n)
        .map(|i| {
            let mut c = Command::new(env!("CARGO_BIN_EXE_pomp-dsm-node"));
            c.args(role)
                .env("POMP_JOB_SECRET", secret.to_hex())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            for (k, v) in env(i) {
                c.env(k, v);
            }
            c.spawn().unwrap()
        })
        .collect();
    let mut lines = vec![];
    let mut ports = vec![];
    for k in kids.iter_mut() {
        let (tx, rx) = mpsc::channel();
        let out = k.stdout.take().unwrap();
        thread::spawn(move || {
            for l in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(l);
            }
        });
        let first = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("no PORT line");
        ports.push(first.strip_prefix("PORT ").expect("PORT line").to_string());
        lines.push(rx);
    }
    let list: Vec<String> = ports.iter().map(|p| format!("127.0.0.1:{p}")).collect();
    for (i, k) in kids.iter_mut().enumerate() {
        writeln!(k.stdin.as_mut().unwrap(), "NODES {i} {}", list.join(",")).unwrap();
    }
    let errs: Vec<_> = kids
        .iter_mut()
        .map(|k| {
            let mut e = k.stderr.take().unwrap();
            thread::spawn(move || {
                let mut s = String::new();
                let _ = std::io::Read::read_to_string(&mut e, &mut s);
                s
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut status = vec![];
    for k in kids.iter_mut() {
        loop {
            if let Some(s) = k.try_wait().unwrap() {
                status.push(s);
                break;
            }
            if Instant::now() > deadline {
                let _ = k.kill();
                status.push(k.wait().unwrap());
                break;
            }
            thread::sleep(Duration::from_millis(10));
        }
    }
    // Drain each node's stdout to its end: the node has exited, but the
    // thread reading its pipe may not yet have passed on the last lines (a
    // `try_iter` here lost a node's RESULT line once in CI). The reader
    // ends at end of file, which the exit gives unless a child of the node
    // still holds the pipe; the time limit covers that.
    let out = lines
        .iter()
        .map(|rx| {
            let mut v = vec![];
            let until = Instant::now() + Duration::from_secs(20);
            while let Some(left) = until.checked_duration_since(Instant::now()) {
                match rx.recv_timeout(left) {
                    Ok(l) => v.push(l),
                    Err(_) => break,
                }
            }
            v
        })
        .collect();
    let err = errs.into_iter().map(|h| h.join().unwrap()).collect();
    Run { status, out, err }
}

#[test]
fn atomic_counter_two_nodes_a_million_increments() {
    let r = job(2, &["counter", "250000", "2"], &[]);
    r.assert_ok();
    assert_eq!(r.results(), ["counter 1000000"]);
}

#[test]
fn atomic_counter_three_nodes() {
    let r = job(3, &["counter", "200000", "2"], &[]);
    r.assert_ok();
    assert_eq!(r.results(), ["counter 1200000"]);
}

#[test]
fn false_sharing_and_disjoint_writers_three_nodes() {
    let r = job(3, &["falseshare", "300"], &[]);
    r.assert_ok();
    assert_eq!(r.results(), ["falseshare ok"]);
}

/// The sum of a `STATS` counter over the nodes.
fn stat(r: &Run, name: &str) -> u64 {
    r.out
        .iter()
        .flatten()
        .filter(|l| l.starts_with("STATS "))
        .filter_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            let i = w.iter().position(|x| *x == name)?;
            w.get(i + 1)?.parse::<u64>().ok()
        })
        .sum()
}

/// With migratory detection on, read faults on pages that are read and
/// then written take them exclusively and the write needs no message; the
/// falsely shared page and the litmus tests stay correct.
#[test]
fn migratory_pages_stay_coherent() {
    let on = [("POMP_DSM_MIGRATORY", "1")];
    let r = job(3, &["turns", "60"], &on);
    r.assert_ok();
    assert_eq!(r.results(), ["turns ok"]);
    // Every node's third turn on is a read fault and a silent write.
    assert!(stat(&r, "silent_upgrades") >= 3 * 17, "{:?}", r.out);
    let r = job(3, &["falseshare", "300"], &on);
    r.assert_ok();
    assert_eq!(r.results(), ["falseshare ok"]);
    let r = job(2, &["mp", "300"], &on);
    r.assert_ok();
    assert_eq!(r.results(), ["mp 300 rounds, data always seen"]);
    let r = job(2, &["counter", "100000", "2"], &on);
    r.assert_ok();
    assert_eq!(r.results(), ["counter 400000"]);
    let off = job(3, &["turns", "60"], &[("POMP_DSM_MIGRATORY", "0")]);
    off.assert_ok();
    assert_eq!(stat(&off, "silent_upgrades"), 0);
    assert!(stat(&off, "upgrades") >= 3 * 19, "{:?}", off.out);
}

#[test]
fn large_array_checksummed_by_the_others() {
    let r = job(3, &["array", "32"], &[]);
    r.assert_ok();
    let res = r.results();
    assert_eq!(res.len(), 2, "{res:?}");
}

#[test]
fn litmus_message_passing() {
    let r = job(2, &["mp", "300"], &[]);
    r.assert_ok();
    assert_eq!(r.results(), ["mp 300 rounds, data always seen"]);
}

#[test]
fn litmus_store_buffering() {
    let r = job(2, &["sb", "300"], &[]);
    r.assert_ok();
    let res = r.results();
    assert_eq!(res.len(), 1);
    assert!(res[0].starts_with("sb r0r1: 00=0 "), "{res:?}");
}

#[test]
fn heap_concurrent_allocation_and_cross_node_free() {
    let r = job(3, &["heap", "400"], &[]);
    r.assert_ok();
    let mut res = r.results();
    res.sort();
    assert_eq!(
        res,
        [
            "heap node 0 in_use 0",
            "heap node 1 in_use 0",
            "heap node 2 in_use 0"
        ]
    );
}

#[test]
fn a_fault_outside_the_window_still_kills_with_sigsegv() {
    let r = job(1, &["segv"], &[]);
    assert_eq!(
        r.status[0].signal(),
        Some(libc::SIGSEGV),
        "{:?} {}",
        r.status[0],
        r.err[0]
    );
    assert_eq!(r.results().len(), 1);
}

#[test]
fn a_window_that_is_taken_is_a_clear_error() {
    // A window reaching past the top of the address space cannot be had.
    let r = job(
        1,
        &["segv"],
        &[
            ("POMP_DSM_BASE", "0x7ffff0000000"),
            ("POMP_DSM_SIZE", "64G"),
        ],
    );
    assert!(!r.status[0].success());
    assert!(
        r.err[0].contains("cannot reserve the window"),
        "{}",
        r.err[0]
    );
}

#[test]
fn mismatched_windows_are_refused_naming_the_node() {
    let r = job_env(2, &["segv"], |i| {
        if i == 1 {
            vec![("POMP_DSM_SIZE", "1G")]
        } else {
            vec![]
        }
    });
    assert!(!r.status[0].success() && !r.status[1].success());
    assert!(
        r.err[0].contains("node 1 has its window at"),
        "{}",
        r.err[0]
    );
    assert!(
        r.err[1].contains("node 0 has its window at"),
        "{}",
        r.err[1]
    );
}

#[test]
fn share_existing_turns_globals_into_dsm_memory() {
    let r = job(3, &["globals"], &[]);
    r.assert_ok();
    assert_eq!(r.results(), ["globals ok"]);
}

#[test]
fn threads_run_on_stacks_in_the_window() {
    let r = job(2, &["stack"], &[]);
    r.assert_ok();
    assert_eq!(r.results(), ["stack ok"]);
}
