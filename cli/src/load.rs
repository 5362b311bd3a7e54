//! Other processes' CPU use, so that a benchmark can tell when its runs
//! shared the machine: /proc/stat's busy time minus this process's own and
//! that of its reaped children.

use std::io::Read;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// CPU-time counters, in clock ticks: the whole machine's busy and total
/// time over all CPUs (/proc/stat), and this process's own time plus that of
/// its reaped children (/proc/self/stat).
#[derive(Debug, Clone, Copy)]
pub struct CpuSnap {
    busy: u64,
    total: u64,
    own: u64,
}

/// The counters now; None when /proc cannot be read.
pub fn cpu_snap() -> Option<CpuSnap> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?.strip_prefix("cpu ")?;
    let v: Vec<u64> = line
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is in user)
    let total: u64 = v.iter().take(8).sum();
    let idle = v.get(3)? + v.get(4).copied().unwrap_or(0);
    let me = std::fs::read_to_string("/proc/self/stat").ok()?;
    // after "pid (comm) ": state ppid ... utime stime cutime cstime (14..17)
    let f: Vec<u64> = me
        .rsplit_once(')')?
        .1
        .split_whitespace()
        .skip(11)
        .take(4)
        .filter_map(|x| x.parse().ok())
        .collect();
    if f.len() != 4 {
        return None;
    }
    Some(CpuSnap {
        busy: total.saturating_sub(idle),
        total,
        own: f.iter().sum(),
    })
}

/// The average number of CPUs kept busy between `a` and `b` by anything but
/// this process and its children: other programs, or the hypervisor (steal).
pub fn foreign_cpus(a: CpuSnap, b: CpuSnap) -> Option<f64> {
    let dt = b.total.checked_sub(a.total).filter(|&d| d > 0)? as f64;
    let busy = b.busy.saturating_sub(a.busy) as f64;
    let own = b.own.saturating_sub(a.own) as f64;
    let ncpu = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    Some(((busy - own) / dt * ncpu).max(0.0))
}

/// What one run of a child process gave.
#[derive(Debug)]
pub struct ChildOutput {
    /// None: killed after the time-out.
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    /// CPUs kept busy by other processes meanwhile (None: unknown).
    pub foreign: Option<f64>,
}

/// Runs `cmd` with stdin closed and its output captured, killing it after
/// `timeout`, and measures how busy other processes kept the machine.
pub fn run_child(mut cmd: Command, timeout: Duration) -> Result<ChildOutput, String> {
    let program = Path::new(cmd.get_program()).display().to_string();
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());

    let snap_before = cpu_snap();
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    // Drain both pipes on their own threads so that a chatty child can never
    // block on a full pipe while we wait for it.
    let mut out_pipe = child.stdout.take().expect("stdout is piped");
    let mut err_pipe = child.stderr.take().expect("stderr is piped");
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out_pipe.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });

    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("waiting for {program}: {e}"));
            }
        }
    };
    let elapsed = start.elapsed();
    // The child is reaped: its CPU time is in our cutime/cstime now.
    let foreign = snap_before
        .zip(cpu_snap())
        .and_then(|(a, b)| foreign_cpus(a, b));
    Ok(ChildOutput {
        status,
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
        elapsed,
        foreign,
    })
}
