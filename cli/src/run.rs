//! `pomp run` — start one process of a program per node and run it as one
//! OpenMP program (DESIGN.md section 3), and `pomp cc` — build a program so
//! that it can.
//!
//! The launcher, like `mpirun`: creates the job secret (a 0600 file in a
//! private directory, named in the environment, never on a command line),
//! picks a loopback port per node, and starts every node with `POMP_DIST=1`,
//! its id, the node list, the threads-per-node list, and `LD_PRELOAD` of
//! `libpomp_heap.so` and `libpomp.so` (and `LD_LIBRARY_PATH` leading to a
//! `libgomp.so.1` that is the same file, so no second runtime is loaded),
//! with address-space randomisation off
//! (the program's globals, stacks and functions must be at the same
//! addresses everywhere) and a parent-death signal (a launcher killed with
//! SIGKILL takes the job with it). The job's exit status is node 0's (128 +
//! the signal if it was killed). A node that ends early makes the launcher
//! say so and end the job within 5 s; SIGINT, SIGTERM and SIGHUP are
//! passed to every node, then SIGKILL follows after 2 s.

use std::io::{BufRead, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

use pomp::sys::topology;

use crate::common;

pub const RUN_USAGE: &str = "\
usage: pomp run [-n N] [--threads-per-node a,b,...] [--bind-to core|none] [--tag-output]
                [--] PROG [ARGS...]

Runs PROG (built with `pomp cc`, or gcc -fopenmp -Wl,-z,now) as one OpenMP
program on N nodes: N processes on this machine over loopback. Node 0 runs
main; the team of each parallel region is spread over the nodes, by default
in proportion to their threads (--threads-per-node; default: each node's CPUs).
OMP_NUM_THREADS, if set, is the team size across all nodes.

Local nodes are bound, as mpirun binds its ranks: the CPUs this launcher may
use are split into N contiguous shares, node k runs on share k, and a node's
CPUs are its share (so a node's hand-offs between its own threads stay on
its own CPUs, as they would on a machine of its own). With more nodes than
CPUs the nodes are not bound.

  -n N                   number of nodes (default 1)
  --threads-per-node L   threads of each node, comma-separated (one value: all)
  --bind-to core|none    bind local nodes to their share of the CPUs (the
                         default when there are at least N CPUs), or not
  --tag-output           prefix every output line with [node]
  --hosts H1,H2,...      node k on host H(k mod count), started over ssh
                         ($POMP_RSH, default `ssh -o BatchMode=yes`); -n
                         defaults to the number of hosts
  --local                local nodes even inside a Slurm allocation

Inside a Slurm allocation (SLURM_JOB_NODELIST set) without --hosts, the
nodes are the allocation's hosts, one per node, started with srun; -n
defaults to their number. On remote hosts the program, libpomp.so and
libpomp_heap.so must be at the same paths as here (a shared file system,
or the same install); the job secret reaches them on ssh's stdin, or in
srun's environment, never on a command line.
";

/// The library files the nodes load, found next to this executable.
fn libs() -> Result<(PathBuf, PathBuf), String> {
    let lib = common::libpomp()?;
    let heap = lib.with_file_name("libpomp_heap.so");
    if !heap.is_file() {
        return Err(format!(
            "{} not found; build it with `cargo build --release`",
            heap.display()
        ));
    }
    Ok((lib, heap))
}

struct Opts {
    nodes: u32,
    /// `-n` was given.
    nodes_given: bool,
    threads: Option<Vec<u32>>,
    /// `--bind-to`: `Some(true)` core, `Some(false)` none, `None` the default.
    bind: Option<bool>,
    tag: bool,
    hosts: Option<Vec<String>>,
    local: bool,
    prog: Vec<String>,
}

fn parse(args: &[String]) -> Result<Opts, String> {
    parse_opts(args, true)
}

/// The options; `need_prog`: a program must follow (not for `pomp info`).
fn parse_opts(args: &[String], need_prog: bool) -> Result<Opts, String> {
    let mut o = Opts {
        nodes: 1,
        nodes_given: false,
        threads: None,
        bind: None,
        tag: false,
        hosts: None,
        local: false,
        prog: Vec::new(),
    };
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let val = |i: usize| {
            args.get(i + 1)
                .cloned()
                .ok_or_else(|| format!("{a} needs a value"))
        };
        match a {
            "-n" | "--nodes" => {
                let v = val(i)?;
                o.nodes = v
                    .parse()
                    .ok()
                    .filter(|&n| (1..=64).contains(&n))
                    .ok_or_else(|| format!("-n {v:?}: a node count from 1 to 64 is needed"))?;
                o.nodes_given = true;
                i += 2;
            }
            "--threads-per-node" => {
                let v = val(i)?;
                let l = pomp::dist::parse_threads_per_node(&v).ok_or_else(|| {
                    format!("--threads-per-node {v:?}: a list of thread counts (1..4096) is needed")
                })?;
                o.threads = Some(l);
                i += 2;
            }
            "--bind-to" => {
                let v = val(i)?;
                o.bind = Some(match v.as_str() {
                    "core" => true,
                    "none" => false,
                    _ => return Err(format!("--bind-to {v:?}: core or none is needed")),
                });
                i += 2;
            }
            "--tag-output" => {
                o.tag = true;
                i += 1;
            }
            "--hosts" => {
                let v = val(i)?;
                o.hosts = Some(parse_hosts(&v)?);
                i += 2;
            }
            "--local" => {
                o.local = true;
                i += 1;
            }
            "-h" | "--help" => {
                print!("{RUN_USAGE}");
                std::process::exit(0);
            }
            "--" => {
                o.prog = args[i + 1..].to_vec();
                break;
            }
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{RUN_USAGE}")),
            _ => {
                o.prog = args[i..].to_vec();
                break;
            }
        }
    }
    if o.prog.is_empty() && need_prog {
        return Err(format!("no program given\n{RUN_USAGE}"));
    }
    if o.local && o.hosts.is_some() {
        return Err("--local and --hosts exclude each other".into());
    }
    if let (Some(h), false) = (&o.hosts, o.nodes_given) {
        o.nodes = (h.len() as u32).min(64);
    }
    Ok(o)
}

/// `--hosts a,b,c`: host names (or addresses), without ports, users or
/// shell characters.
fn parse_hosts(v: &str) -> Result<Vec<String>, String> {
    let hosts: Vec<String> = v
        .split(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(String::from)
        .collect();
    if hosts.is_empty() {
        return Err(format!(
            "--hosts {v:?}: a comma-separated list of hosts is needed"
        ));
    }
    for h in &hosts {
        let ok = h.len() <= 253
            && !h.starts_with('-')
            && h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._:".contains(&b));
        if !ok {
            return Err(format!(
                "--hosts: {h:?} is not a host name or address (letters, digits, '-', '.', ':')"
            ));
        }
    }
    Ok(hosts)
}

/// Checks the thread list against the node count (once it is known).
fn check_threads(o: &mut Opts) -> Result<(), String> {
    if let Some(t) = &o.threads {
        if t.len() == 1 {
            o.threads = Some(vec![t[0]; o.nodes as usize]);
        } else if t.len() != o.nodes as usize {
            return Err(format!(
                "--threads-per-node lists {} nodes but -n is {}",
                t.len(),
                o.nodes
            ));
        }
    }
    Ok(())
}

/// The CPUs this launcher may run on (its affinity mask), in order.
fn launcher_cpus() -> Vec<usize> {
    let mask = topology::thread_affinity().unwrap_or_default();
    (0..mask.len() * 64)
        .filter(|&c| mask[c / 64] >> (c % 64) & 1 == 1)
        .collect()
}

/// The affinity mask of the CPUs `cpus`, as the kernel takes it.
fn mask_of(cpus: &[usize]) -> Vec<u64> {
    let mut mask = vec![0u64; cpus.iter().max().map_or(0, |&c| c / 64 + 1)];
    for &c in cpus {
        mask[c / 64] |= 1 << (c % 64);
    }
    mask
}

/// The CPUs of each local node when they are bound (`--bind-to`): the
/// launcher's CPUs in `nodes` contiguous shares, the first `len % nodes`
/// one larger. `None`: the nodes are not bound.
fn binding(o: &Opts, mode: &Mode) -> Result<Option<Vec<Vec<usize>>>, String> {
    if !matches!(mode, Mode::Local) {
        if o.bind == Some(true) {
            return Err(
                "--bind-to core binds local nodes only (a node on a host of its own has its CPUs to itself)"
                    .into(),
            );
        }
        return Ok(None);
    }
    if o.bind == Some(false) || o.nodes < 2 {
        return Ok(None);
    }
    let cpus = launcher_cpus();
    let n = o.nodes as usize;
    if cpus.len() < n {
        if o.bind == Some(true) {
            return Err(format!(
                "--bind-to core: {n} nodes but only {} CPUs to bind them to (use --bind-to none)",
                cpus.len()
            ));
        }
        return Ok(None);
    }
    let (q, r) = (cpus.len() / n, cpus.len() % n);
    let mut at = 0;
    Ok(Some(
        (0..n)
            .map(|k| {
                let len = q + usize::from(k < r);
                at += len;
                cpus[at - len..at].to_vec()
            })
            .collect(),
    ))
}

/// A CPU list the way the kernel prints one: `0-3,8`.
fn cpu_list(cpus: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < cpus.len() {
        let mut j = i;
        while j + 1 < cpus.len() && cpus[j + 1] == cpus[j] + 1 {
            j += 1;
        }
        out.push(if i == j {
            cpus[i].to_string()
        } else {
            format!("{}-{}", cpus[i], cpus[j])
        });
        i = j + 1;
    }
    out.join(",")
}

/// The ports `pomp run` gives its nodes: below Linux's default range of
/// ephemeral ports (32768-60999), from which the kernel picks the local
/// port of every outgoing connection and of `bind` to port 0. A port found
/// free in that range can be taken by some program's connection before the
/// node listens on it ("Address already in use", seen with tests running
/// beside each other); nothing is handed out from this range unasked.
const PORT_RANGE: std::ops::Range<u32> = 20000..32000;

/// Loopback ports for `n` local nodes: free ones from [`PORT_RANGE`],
/// starting at a place that depends on the launcher's pid and the clock
/// (so that two launchers rarely try the same ones), each bound to check it
/// is free, then released for its node to bind.
fn ports(n: u32) -> Result<Vec<u16>, String> {
    let len = PORT_RANGE.end - PORT_RANGE.start;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let first = (std::process::id().wrapping_mul(7919) ^ nanos) % len;
    let mut held = Vec::new();
    for k in 0..len {
        if held.len() == n as usize {
            break;
        }
        let port = (PORT_RANGE.start + (first + k) % len) as u16;
        if let Ok(l) = std::net::TcpListener::bind(("127.0.0.1", port)) {
            held.push((port, l));
        }
    }
    if held.len() < n as usize {
        return Err(format!(
            "cannot find {n} free loopback ports in {}-{}",
            PORT_RANGE.start,
            PORT_RANGE.end - 1
        ));
    }
    Ok(held.into_iter().map(|(p, _)| p).collect())
}

/// A private directory for the job's secret, removed when dropped.
struct JobDir(PathBuf);
impl Drop for JobDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn job_dir() -> Result<JobDir, String> {
    use std::os::unix::fs::DirBuilderExt;
    let base = std::env::temp_dir();
    for k in 0..100u32 {
        let p = base.join(format!("pomp-job-{}-{k}", std::process::id()));
        match std::fs::DirBuilder::new().mode(0o700).create(&p) {
            Ok(()) => return Ok(JobDir(p)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot create {}: {e}", p.display())),
        }
    }
    Err("cannot create a private job directory".into())
}

/// The signal that asked the launcher to stop (0: none).
static STOP: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_signal(sig: i32) {
    STOP.store(sig, Ordering::SeqCst);
}

fn describe(s: ExitStatus) -> String {
    match (s.code(), s.signal()) {
        (Some(c), _) => format!("exit status {c}"),
        (None, Some(sig)) => format!("signal {sig}"),
        _ => "an unknown status".into(),
    }
}

fn code_of(s: ExitStatus) -> i32 {
    match (s.code(), s.signal()) {
        (Some(c), _) => c,
        (None, Some(sig)) => 128 + sig,
        _ => 1,
    }
}

fn forward(
    tag: String,
    r: impl std::io::Read + Send + 'static,
    err: bool,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let r = std::io::BufReader::new(r);
        for line in r.split(b'\n') {
            let Ok(line) = line else { break };
            let mut buf = tag.clone().into_bytes();
            buf.extend_from_slice(&line);
            buf.push(b'\n');
            if err {
                let _ = std::io::stderr().lock().write_all(&buf);
            } else {
                let _ = std::io::stdout().lock().write_all(&buf);
            }
        }
    })
}

/// How the nodes are started.
enum Mode {
    /// Processes of this machine.
    Local,
    /// Node k on `hosts[k % len]`, through the remote shell `agent`.
    Ssh {
        hosts: Vec<String>,
        agent: Vec<String>,
    },
    /// One `srun` for all nodes, on the allocation's `hosts`.
    Slurm { hosts: Vec<String> },
}

fn mode(o: &mut Opts) -> Result<Mode, String> {
    if let Some(hosts) = o.hosts.clone() {
        let agent = std::env::var("POMP_RSH")
            .ok()
            .filter(|a| !a.trim().is_empty())
            .unwrap_or_else(|| "ssh -o BatchMode=yes".into());
        let agent: Vec<String> = agent.split_whitespace().map(String::from).collect();
        return Ok(Mode::Ssh { hosts, agent });
    }
    let nodelist = std::env::var("SLURM_JOB_NODELIST")
        .or_else(|_| std::env::var("SLURM_NODELIST"))
        .ok()
        .filter(|v| !v.is_empty());
    match nodelist {
        Some(list) if !o.local => {
            let out = Command::new("scontrol")
                .args(["show", "hostnames", &list])
                .stdin(Stdio::null())
                .output()
                .map_err(|e| {
                    format!(
                        "inside Slurm, but cannot run scontrol: {e} (use --local for local nodes)"
                    )
                })?;
            let hosts: Vec<String> = String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(str::trim)
                .filter(|h| !h.is_empty())
                .map(String::from)
                .collect();
            if !out.status.success() || hosts.is_empty() {
                return Err(format!(
                    "scontrol show hostnames {list:?} failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
            if !o.nodes_given {
                o.nodes = (hosts.len() as u32).min(64);
            } else if o.nodes as usize > hosts.len() {
                return Err(format!(
                    "-n {} but the Slurm allocation has {} host(s) (one node per host)",
                    o.nodes,
                    hosts.len()
                ));
            }
            Ok(Mode::Slurm { hosts })
        }
        _ => Ok(Mode::Local),
    }
}

/// `s` quoted for a POSIX shell.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The environment a remote node gets beyond what `pomp run` sets: the
/// OpenMP and pomp settings of this one.
fn forwarded_env() -> Vec<(String, String)> {
    const OWN: [&str; 6] = [
        "POMP_DIST",
        "POMP_NODE_ID",
        "POMP_NODES",
        "POMP_JOB_SECRET",
        "POMP_JOB_SECRET_FILE",
        "POMP_THREADS_PER_NODE",
    ];
    std::env::vars()
        .filter(|(k, _)| {
            (k.starts_with("OMP_") || k.starts_with("GOMP_") || k.starts_with("POMP_"))
                && !OWN.contains(&k.as_str())
                && k != "POMP_RSH"
        })
        .collect()
}

/// Ports for remote nodes: nothing can be checked from here, so a run of
/// ports in [`PORT_RANGE`] that depends on the launcher's pid, one per node
/// (two nodes may share a host). A node that cannot listen ends the job
/// saying so.
fn remote_ports(n: u32) -> Vec<u16> {
    let len = PORT_RANGE.end - PORT_RANGE.start;
    let base = (std::process::id() % (len / 10)) * 10;
    (0..n)
        .map(|k| (PORT_RANGE.start + (base + k) % len) as u16)
        .collect()
}

/// What `pomp run` with these options would use, as `pomp info` shows it:
/// the nodes and how they start, the threads per node and the team size.
pub fn plan(args: &[String]) -> Result<Vec<String>, String> {
    let mut o = parse_opts(args, false)?;
    if !o.prog.is_empty() {
        return Err(format!(
            "pomp info takes pomp run's options only (got '{}')",
            o.prog[0]
        ));
    }
    let mode = mode(&mut o)?;
    check_threads(&mut o)?;
    let bound = binding(&o, &mode)?;
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
    let mut lines = Vec::new();
    let nodes = o.nodes;
    lines.push(match &mode {
        Mode::Local if nodes == 1 => {
            "nodes:     1 (a program alone is not distributed; `pomp run -n N -- PROG` \
             runs it on N local nodes)"
                .to_string()
        }
        Mode::Local => format!("nodes:     {nodes}, processes of this machine over loopback"),
        Mode::Ssh { hosts, agent } => format!(
            "nodes:     {nodes}, node k on host k mod {} of {} (started with `{}`)",
            hosts.len(),
            hosts.join(","),
            agent.join(" ")
        ),
        Mode::Slurm { hosts } => format!(
            "nodes:     {nodes}, the Slurm allocation's hosts {} (started with srun)",
            hosts.join(",")
        ),
    });
    if let Some(b) = &bound {
        lines.push(format!(
            "binding:   {}",
            b.iter()
                .enumerate()
                .map(|(k, c)| format!("node {k} on CPU {}", cpu_list(c)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    } else if matches!(mode, Mode::Local) && nodes > 1 {
        lines.push("binding:   none (every node may run on every CPU)".into());
    }
    let per_node = default_threads(&o, &mode, &bound, cpus);
    let team = match std::env::var("OMP_NUM_THREADS")
        .ok()
        .and_then(|v| v.split(',').next()?.trim().parse::<u32>().ok())
    {
        Some(n) => format!("{n} (OMP_NUM_THREADS)"),
        None => match &per_node {
            Some(t) => format!("{} (the sum)", t.iter().sum::<u32>()),
            None => "the sum of the nodes' CPUs".into(),
        },
    };
    lines.push(match per_node {
        Some(t) => format!(
            "threads:   {} per node; team size {team}",
            t.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
        ),
        None => format!("threads:   each node's CPUs (reported when it starts); team size {team}"),
    });
    Ok(lines)
}

/// Threads of each node: `--threads-per-node`, else (local nodes) each
/// node's CPUs; `None` where remote nodes report their own.
fn default_threads(
    o: &Opts,
    mode: &Mode,
    bound: &Option<Vec<Vec<usize>>>,
    cpus: u32,
) -> Option<Vec<u32>> {
    match (&o.threads, mode, bound) {
        (Some(t), _, _) => Some(t.clone()),
        (None, Mode::Local, Some(b)) => Some(b.iter().map(|c| c.len() as u32).collect()),
        (None, Mode::Local, None) => Some(vec![cpus; o.nodes as usize]),
        (None, _, _) => None,
    }
}

/// `pomp run`.
pub fn main(args: &[String]) -> Result<i32, String> {
    let mut o = parse(args)?;
    let mode = mode(&mut o)?;
    check_threads(&mut o)?;
    let (lib, heap) = libs()?;
    let prog = Path::new(&o.prog[0]);
    if !prog.exists() && !o.prog[0].contains('/') {
        // Let the nodes find it on PATH, like exec would.
    } else if !prog.is_file() {
        return Err(format!("{}: no such program", prog.display()));
    }
    let dir = job_dir()?;
    let secret_file = dir.0.join("secret");
    let secret = pomp_transport::Secret::generate()
        .map_err(|e| format!("cannot create the job secret: {e}"))?;
    secret
        .write_file(&secret_file)
        .map_err(|e| format!("cannot create the job secret: {e}"))?;
    // The program's own libgomp.so.1 is pomp too, so that one OpenMP
    // runtime only is loaded (the preloaded libpomp.so and this alias are
    // one file, which the loader maps once). Local nodes only: the
    // directory is on this machine.
    let alias = dir.0.join("lib");
    std::fs::create_dir(&alias)
        .and_then(|()| {
            std::os::unix::fs::symlink(
                std::fs::canonicalize(&lib).unwrap_or_else(|_| lib.clone()),
                alias.join("libgomp.so.1"),
            )
        })
        .map_err(|e| format!("cannot create {}: {e}", alias.display()))?;
    let library_path = match std::env::var("LD_LIBRARY_PATH") {
        Ok(old) if !old.is_empty() => format!("{}:{old}", alias.display()),
        _ => alias.display().to_string(),
    };
    let nodes_list = match &mode {
        Mode::Local => ports(o.nodes)?
            .iter()
            .map(|p| format!("127.0.0.1:{p}"))
            .collect::<Vec<_>>(),
        Mode::Ssh { hosts, .. } | Mode::Slurm { hosts } => remote_ports(o.nodes)
            .iter()
            .enumerate()
            .map(|(k, p)| format!("{}:{p}", hosts[k % hosts.len()]))
            .collect(),
    }
    .join(",");
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
    let bound = binding(&o, &mode)?;
    // Remote nodes tell node 0 their CPUs themselves.
    let threads = default_threads(&o, &mode, &bound, cpus)
        .map(|t| t.iter().map(u32::to_string).collect::<Vec<_>>().join(","));
    let preload = {
        let mut p = format!("{} {}", heap.display(), lib.display());
        if let Ok(old) = std::env::var("LD_PRELOAD") {
            if !old.is_empty() {
                p = format!("{p} {old}");
            }
        }
        p
    };
    // SAFETY: installing a handler that only stores to an atomic.
    unsafe {
        for s in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            libc::signal(s, on_signal as *const () as libc::sighandler_t);
        }
    }
    let mut children: Vec<Option<Child>> = Vec::new();
    let mut pumps = Vec::new();
    let starts: u32 = match mode {
        Mode::Slurm { .. } => 1,
        _ => o.nodes,
    };
    for k in 0..starts {
        let mut cmd = match &mode {
            Mode::Local => {
                let mut cmd = Command::new(&o.prog[0]);
                cmd.args(&o.prog[1..])
                    .env("POMP_DIST", "1")
                    .env("POMP_NODE_ID", k.to_string())
                    .env("POMP_NODES", &nodes_list)
                    .env("POMP_JOB_SECRET_FILE", &secret_file)
                    .env_remove("POMP_JOB_SECRET")
                    .env("LD_PRELOAD", &preload)
                    .env("LD_LIBRARY_PATH", &library_path);
                if let Some(t) = &threads {
                    cmd.env("POMP_THREADS_PER_NODE", t);
                }
                // The node's share of the CPUs, made before the fork.
                let share = bound.as_ref().map(|b| mask_of(&b[k as usize]));
                // SAFETY: only async-signal-safe calls between fork and
                // exec (personality, and set_thread_affinity's one system
                // call on `share`, built before the fork).
                unsafe {
                    cmd.pre_exec(move || {
                        libc::personality(libc::ADDR_NO_RANDOMIZE as libc::c_ulong);
                        if let Some(mask) = &share {
                            if !topology::set_thread_affinity(mask) {
                                return Err(std::io::Error::last_os_error());
                            }
                        }
                        Ok(())
                    });
                }
                cmd
            }
            Mode::Ssh { hosts, agent } => {
                // The remote shell reads the secret from the first line of
                // its stdin, then runs the program with it in the
                // environment; the library turns off address randomisation.
                let mut env = vec![
                    ("POMP_DIST".to_string(), "1".to_string()),
                    ("POMP_NODE_ID".into(), k.to_string()),
                    ("POMP_NODES".into(), nodes_list.clone()),
                    ("LD_PRELOAD".into(), preload.clone()),
                ];
                if let Some(t) = &threads {
                    env.push(("POMP_THREADS_PER_NODE".into(), t.clone()));
                }
                if let Ok(p) = std::env::var("LD_LIBRARY_PATH") {
                    env.push(("LD_LIBRARY_PATH".into(), p));
                }
                env.extend(forwarded_env());
                let cwd = std::env::current_dir()
                    .map(|d| d.display().to_string())
                    .unwrap_or_else(|_| ".".into());
                let mut line = format!(
                    "cd {} 2>/dev/null; IFS= read -r POMP_JOB_SECRET || exit 97; \
                     export POMP_JOB_SECRET; exec env",
                    shell_quote(&cwd)
                );
                for (k, v) in &env {
                    line.push(' ');
                    line.push_str(&shell_quote(&format!("{k}={v}")));
                }
                for a in &o.prog {
                    line.push(' ');
                    line.push_str(&shell_quote(a));
                }
                let mut cmd = Command::new(&agent[0]);
                cmd.args(&agent[1..])
                    .arg("-T")
                    .arg(&hosts[k as usize % hosts.len()])
                    .arg(line)
                    .stdin(Stdio::piped());
                cmd
            }
            Mode::Slurm { .. } => {
                let mut cmd = Command::new("srun");
                cmd.arg(format!("--nodes={}", o.nodes))
                    .arg(format!("--ntasks={}", o.nodes))
                    .arg("--ntasks-per-node=1")
                    .arg("--kill-on-bad-exit=1")
                    .arg("--input=0")
                    .arg("--export=ALL");
                if o.tag {
                    cmd.arg("--label");
                }
                // srun and the shell get the job's settings under other
                // names: only the program may load pomp as a node.
                cmd.arg("sh")
                    .arg("-c")
                    .arg(
                        "export POMP_NODE_ID=\"$SLURM_PROCID\" POMP_DIST=1 \
                         LD_PRELOAD=\"$POMP_RUN_PRELOAD\"; exec \"$0\" \"$@\"",
                    )
                    .args(&o.prog)
                    .env_remove("POMP_DIST")
                    .env("POMP_NODES", &nodes_list)
                    .env("POMP_JOB_SECRET", secret.to_hex())
                    .env_remove("POMP_JOB_SECRET_FILE")
                    .env("POMP_RUN_PRELOAD", &preload);
                if let Some(t) = &threads {
                    cmd.env("POMP_THREADS_PER_NODE", t);
                }
                cmd
            }
        };
        if k != 0 && matches!(mode, Mode::Local) {
            // Node 0's stdin is the job's; the others read nothing.
            cmd.stdin(Stdio::null());
        }
        let tag = o.tag && !matches!(mode, Mode::Slurm { .. });
        if tag {
            cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        }
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                for s in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                    libc::signal(s, libc::SIG_DFL);
                }
                Ok(())
            });
        }
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => {
                kill_all(&mut children, libc::SIGKILL);
                let what = match &mode {
                    Mode::Local => o.prog[0].clone(),
                    Mode::Ssh { agent, .. } => agent[0].clone(),
                    Mode::Slurm { .. } => "srun".into(),
                };
                return Err(format!("cannot start {what}: {e}"));
            }
        };
        if let (Mode::Ssh { .. }, Some(mut input)) = (&mode, child.stdin.take()) {
            let line = format!("{}\n", secret.to_hex());
            if input.write_all(line.as_bytes()).is_err() {
                eprintln!("pomp run: could not hand node {k} the job secret");
            }
            if k == 0 {
                // The job's stdin goes on to node 0.
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut std::io::stdin().lock(), &mut input);
                });
            }
        }
        if tag {
            let tag = format!("[{k}] ");
            if let Some(out) = child.stdout.take() {
                pumps.push(forward(tag.clone(), out, false));
            }
            if let Some(err) = child.stderr.take() {
                pumps.push(forward(tag, err, true));
            }
        }
        children.push(Some(child));
    }
    let status = supervise(&mut children);
    for p in pumps {
        let _ = p.join();
    }
    drop(dir);
    Ok(status)
}

fn kill_all(children: &mut [Option<Child>], sig: i32) {
    for c in children.iter_mut().flatten() {
        // SAFETY: signalling our own child, not yet reaped.
        unsafe { libc::kill(c.id() as i32, sig) };
    }
}

/// Waits for the job; returns the launcher's exit status.
fn supervise(children: &mut [Option<Child>]) -> i32 {
    let mut origin: Option<ExitStatus> = None;
    let mut failed = false;
    let mut deadline: Option<Instant> = None;
    let mut killed = false;
    let mut forwarded = false;
    loop {
        let sig = STOP.load(Ordering::SeqCst);
        if sig != 0 && !forwarded {
            forwarded = true;
            kill_all(children, sig);
            deadline = Some(Instant::now() + Duration::from_secs(2));
        }
        for (k, slot) in children.iter_mut().enumerate() {
            let Some(c) = slot else { continue };
            let Ok(Some(s)) = c.try_wait() else { continue };
            *slot = None;
            if k == 0 {
                origin = Some(s);
                // The workers end on node 0's goodbye; give them 5 s. After
                // a failure there is no goodbye (a stopped node never
                // ends): 1 s.
                let grace = if s.success() { 5 } else { 1 };
                let d = Instant::now() + Duration::from_secs(grace);
                deadline = Some(deadline.map_or(d, |x| x.min(d)));
            } else if !s.success() && !failed && sig == 0 && !killed {
                // A worker ends with 0 only when node 0 told it to.
                failed = true;
                eprintln!(
                    "pomp run: node {k} ended with {}; ending the job",
                    describe(s)
                );
                // Node 0 and the others notice on their own; whoever is busy
                // in a region is stopped after 1 s.
                deadline.get_or_insert(Instant::now() + Duration::from_secs(1));
            }
        }
        if children.iter().all(Option::is_none) {
            break;
        }
        if let Some(d) = deadline {
            if Instant::now() >= d && !killed {
                killed = true;
                kill_all(children, libc::SIGKILL);
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    match origin {
        Some(s) if s.success() && failed => 1,
        Some(s) => {
            if !s.success() && s.signal().is_some() {
                eprintln!("pomp run: node 0 ended with {}", describe(s));
            }
            code_of(s)
        }
        None => 1,
    }
}

pub const CC_USAGE: &str = "\
usage: pomp cc [gcc options] SOURCES... -o PROG

Builds an OpenMP program for `pomp run`: gcc -fopenmp -Wl,-z,now (so its
globals start on a page of their own). Every argument goes to gcc ($CC).
";

/// `pomp cc`.
pub fn cc(args: &[String]) -> Result<i32, String> {
    if args.is_empty() || args.iter().any(|a| a == "--help") {
        print!("{CC_USAGE}");
        return Ok(if args.is_empty() { 2 } else { 0 });
    }
    let compiler = std::env::var("CC").unwrap_or_else(|_| "gcc".into());
    let s = Command::new(&compiler)
        .arg("-fopenmp")
        .args(args)
        .args(["-Wl,-z,now", "-Wl,-z,relro"])
        .status()
        .map_err(|e| format!("cannot run {compiler}: {e}"))?;
    Ok(code_of(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Local ports are distinct, below the ephemeral range, and free when
    /// handed out; remote ones are distinct and in the same range.
    #[test]
    fn node_ports_avoid_the_ephemeral_range() {
        let ps = ports(4).unwrap();
        assert_eq!(ps.len(), 4);
        let mut d = ps.clone();
        d.sort();
        d.dedup();
        assert_eq!(d.len(), 4, "{ps:?}");
        for &p in &ps {
            assert!(PORT_RANGE.contains(&u32::from(p)), "{p}");
            std::net::TcpListener::bind(("127.0.0.1", p)).unwrap();
        }
        let rs = remote_ports(16);
        let mut d = rs.clone();
        d.sort();
        d.dedup();
        assert_eq!(d.len(), 16, "{rs:?}");
        assert!(rs.iter().all(|&p| PORT_RANGE.contains(&u32::from(p))));
    }
}
