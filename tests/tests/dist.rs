//! Distributed execution (`pomp run`): the programs of tests/dist/ built
//! with `pomp cc`, run on libgomp alone (the reference) and across 1, 2 and
//! 3 local nodes; a node killed mid-region ends the job with a non-zero
//! status within 5 s; a program not linked with `-z now` is refused with a
//! one-line error. Correctness only; timings are measured, never asserted
//! beyond the failure bound the issue sets.
//!
//! `cargo test --release -p pomp-tests --test dist`

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use pomp_tests::{directives, lib_dir, prepare, repo, target_dir};

fn machine() -> MutexGuard<'static, ()> {
    static M: Mutex<()> = Mutex::new(());
    M.lock().unwrap_or_else(|e| e.into_inner())
}

fn pomp_cli() -> PathBuf {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        prepare().expect("libpomp builds");
        if std::env::var_os("POMP_TEST_SKIP_BUILD").is_none() {
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let st = Command::new(cargo)
                .args(["build", "--release", "-p", "pomp-cli", "-p", "pomp-heap"])
                .current_dir(repo())
                .status()
                .expect("run cargo");
            assert!(st.success(), "cargo build failed");
        }
    });
    lib_dir().join("pomp")
}

/// Builds tests/dist/NAME.c with `pomp cc` (or plain gcc with `extra`).
fn build(name: &str, extra: &[&str]) -> PathBuf {
    let out = target_dir().join("dist-tests");
    std::fs::create_dir_all(&out).unwrap();
    let exe = out.join(name);
    let src = repo().join("tests/dist").join(format!("{name}.c"));
    let st = if extra.is_empty() {
        Command::new(pomp_cli())
            .arg("cc")
            .arg(&src)
            .arg("-o")
            .arg(&exe)
            .status()
    } else {
        Command::new("gcc")
            .arg("-fopenmp")
            .args(extra)
            .arg(&src)
            .arg("-o")
            .arg(&exe)
            .status()
    }
    .expect("run the compiler");
    assert!(st.success(), "building {name} failed");
    exe
}

fn run(cmd: &mut Command, limit: Duration) -> (Output, Duration) {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().expect("output");
    (out, start.elapsed())
}

fn check_program(name: &str, node_counts: &[&str]) {
    check_program_env(name, node_counts, &[]);
}

fn check_program_env(name: &str, node_counts: &[&str], env: &[(&str, &str)]) {
    let _m = machine();
    let exe = build(name, &[]);
    // The reference: libgomp, one process.
    let (out, _) = run(
        Command::new(&exe).envs(env.iter().copied()),
        Duration::from_secs(60),
    );
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("OK"),
        "{name} fails on libgomp: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    for &nodes in node_counts {
        let (out, took) = run(
            Command::new(pomp_cli())
                .args(["run", "-n", nodes, "--"])
                .arg(&exe)
                .env_remove("OMP_NUM_THREADS")
                .envs(env.iter().copied()),
            Duration::from_secs(120),
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.lines().any(|l| l == "OK"),
            "{name} on {nodes} nodes ({took:?}): status {:?}\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn basic_across_nodes() {
    check_program("basic", &["1", "2", "3"]);
}

/// Dynamic and guided loops claim blocks from node 0, static ones follow
/// the spec by global thread number, ordered passes its turn across nodes.
#[test]
fn loops_across_nodes() {
    check_program("loops", &["1", "2", "3"]);
    check_program_env(
        "loops",
        &["2"],
        &[("OMP_SCHEDULE", "guided,3"), ("OMP_NUM_THREADS", "3")],
    );
}

/// Tasks run on their creating node with their data in DSM memory: a
/// thread on another node reads a running task's firstprivate block.
#[test]
fn tasks_across_nodes() {
    check_program("tasks", &["1", "2", "3"]);
}

/// The kernel reads and writes DSM memory for read/write/pread/fread/
/// fwrite in full (pages are brought to the node first).
#[test]
fn system_calls_on_dsm_memory() {
    check_program("io", &["1", "2", "3"]);
}

/// Pointer-linked data built serially then walked in parallel, atomics
/// and critical on globals, printf from every thread.
#[test]
fn linked_data_across_nodes() {
    check_program("linked", &["2", "3"]);
}

/// fork() on node 0: the child works on a private copy of the memory,
/// the parent and the job are unaffected.
#[test]
fn fork_on_node_0() {
    check_program("fork", &["1", "2", "3"]);
}

#[test]
fn synchronisation_across_nodes() {
    // Copyprivate reads the executing thread's stack from other nodes, so
    // team threads' stack pages go read-only: this once killed node 0 when
    // the kernel wrote the thread's rseq area there (TLS now stays local).
    check_program("sync", &["1", "2", "3"]);
}

#[test]
fn threads_per_node_and_team_size() {
    let _m = machine();
    let exe = build("basic", &[]);
    let (out, _) = run(
        Command::new(pomp_cli())
            .args(["run", "-n", "3", "--threads-per-node", "1,2,1", "--"])
            .arg(&exe)
            .env_remove("OMP_NUM_THREADS"),
        Duration::from_secs(120),
    );
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{s}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        s.contains("threads 4 "),
        "team of 1+2+1 threads expected: {s}"
    );
    let (out, _) = run(
        Command::new(pomp_cli())
            .args(["run", "-n", "2", "--"])
            .arg(&exe)
            .env("OMP_NUM_THREADS", "3"),
        Duration::from_secs(120),
    );
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && s.contains("threads 3 "), "{s}");
}

/// Processes still running `exe` (stopped ones included).
fn still_running(exe: &std::path::Path) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|p| p == exe))
        .collect()
}

/// A node killed, and a node gone silent (stopped with its connections
/// open), end the job on every node: non-zero status, a message naming the
/// node, no process left behind.
#[test]
fn a_dead_node_ends_the_job() {
    let _m = machine();
    let exe = build("crash", &[]);
    for how in ["kill", "stop"] {
        let (out, took) = run(
            Command::new(pomp_cli())
                .args(["run", "-n", "3", "--"])
                .arg(&exe)
                .arg(how),
            Duration::from_secs(60),
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{how}: the job must fail: {err}");
        assert!(
            err.contains("node 2"),
            "{how}: the message names the dead node: {err}"
        );
        assert!(!String::from_utf8_lossy(&out.stdout).contains("not reached"));
        // The bound (5 s), with slack for a loaded machine's
        // start-up.
        assert!(
            took < Duration::from_secs(15),
            "{how}: the job took {took:?} to end"
        );
        let exe = std::fs::canonicalize(&exe).unwrap();
        let left = still_running(&exe);
        assert!(left.is_empty(), "{how}: processes left behind: {left:?}");
    }
}

#[test]
fn lazy_binding_is_refused() {
    let _m = machine();
    let exe = build("nonow", &["-Wl,-z,lazy"]);
    let (out, _) = run(
        Command::new(pomp_cli())
            .args(["run", "-n", "2", "--"])
            .arg(&exe),
        Duration::from_secs(60),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("-z now"), "{err}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("ran"));
}

#[test]
fn bad_launcher_input_is_one_line() {
    let cli = pomp_cli();
    for args in [
        vec!["run", "-n", "0", "--", "/bin/true"],
        vec!["run", "-n", "x", "--", "/bin/true"],
        vec![
            "run",
            "-n",
            "2",
            "--threads-per-node",
            "1,2,3",
            "--",
            "/bin/true",
        ],
        vec!["run", "--hosts", "a;b", "--", "/bin/true"],
        vec!["run", "--hosts", "-oProxyCommand=x", "--", "/bin/true"],
        vec!["run", "--hosts", ",", "--", "/bin/true"],
        vec!["run", "--local", "--hosts", "a", "--", "/bin/true"],
        vec!["run", "-n", "2", "--", "/nonexistent/prog"],
        vec!["run", "-n", "2", "--bind-to", "socket", "--", "/bin/true"],
        vec![
            "run",
            "--hosts",
            "a,b",
            "--bind-to",
            "core",
            "--",
            "/bin/true",
        ],
    ] {
        let out = Command::new(&cli).args(&args).output().expect("run pomp");
        assert!(!out.status.success(), "{args:?} must fail");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("pomp: "), "{args:?}: {err}");
    }
}

#[test]
fn without_pomp_run_nothing_is_distributed() {
    let _m = machine();
    let exe = build("basic", &[]);
    let (out, _) = run(
        Command::new(&exe).env("LD_PRELOAD", lib_dir().join("libpomp.so")),
        Duration::from_secs(60),
    );
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && s.contains("OK"), "{s}");
}

/// The fake ssh, srun and scontrol of tests/dist/fake: they start the
/// "remote" commands on this machine (hosts 127.0.0.1 and localhost).
fn fakes() -> PathBuf {
    repo().join("tests/dist/fake")
}

/// Whether `s` holds something that looks like the job secret (64 hex
/// digits) or names the secret variable with a value.
fn shows_a_secret(s: &str) -> bool {
    let hex_run = s
        .split(|c: char| !c.is_ascii_hexdigit())
        .any(|w| w.len() >= 32);
    hex_run || s.contains("SECRET=")
}

/// `--hosts` starts node k through the remote shell ($POMP_RSH, here a
/// stand-in for ssh that runs the command locally with an ssh-like bare
/// environment and address randomisation on): the program runs across
/// both "hosts", the secret travels on stdin, not on the command line.
#[test]
fn remote_hosts_over_ssh() {
    let _m = machine();
    let exe = build("basic", &[]);
    let log = target_dir().join("dist-tests").join("ssh.log");
    let _ = std::fs::remove_file(&log);
    let (out, took) = run(
        Command::new(pomp_cli())
            .args([
                "run",
                "--hosts",
                "127.0.0.1,localhost",
                "--tag-output",
                "--",
            ])
            .arg(&exe)
            .env("POMP_RSH", fakes().join("ssh"))
            .env("FAKE_LOG", &log)
            .env("OMP_NUM_THREADS", "3"),
        Duration::from_secs(120),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.lines().any(|l| l == "[0] OK"),
        "over ssh ({took:?}): {:?}\n{stdout}\n{stderr}",
        out.status
    );
    assert!(stdout.contains("[0] threads 3 "), "{stdout}");
    let log = std::fs::read_to_string(&log).expect("the fake ssh ran");
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    // The two starts may log in either order.
    assert!(
        lines
            .iter()
            .any(|l| l.contains(" 127.0.0.1 ") && l.contains("'POMP_NODE_ID=0'")),
        "{log}"
    );
    assert!(
        lines.iter().any(|l| l.contains(" localhost ")
            && l.contains("'POMP_NODE_ID=1'")
            && l.contains("'OMP_NUM_THREADS=3'")),
        "{log}"
    );
    assert!(
        !shows_a_secret(&log),
        "the secret is on a command line: {log}"
    );
}

/// Inside a Slurm allocation (SLURM_JOB_NODELIST) `pomp run` asks
/// scontrol for the hosts and starts one srun for every node (stand-ins
/// here); the secret is in srun's environment, not on its command line.
#[test]
fn slurm_allocation_uses_srun() {
    let _m = machine();
    let exe = build("basic", &[]);
    let log = target_dir().join("dist-tests").join("srun.log");
    let _ = std::fs::remove_file(&log);
    let path = format!(
        "{}:{}",
        fakes().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let (out, took) = run(
        Command::new(pomp_cli())
            .args(["run", "--"])
            .arg(&exe)
            .env("PATH", &path)
            .env("SLURM_JOB_NODELIST", "127.0.0.1,localhost")
            .env("FAKE_LOG", &log)
            .env_remove("OMP_NUM_THREADS"),
        Duration::from_secs(120),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.lines().any(|l| l == "OK"),
        "under Slurm ({took:?}): {:?}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let log = std::fs::read_to_string(&log).expect("the fake srun ran");
    assert!(log.starts_with("srun --nodes=2 --ntasks=2 "), "{log}");
    assert!(
        !shows_a_secret(&log),
        "the secret is on a command line: {log}"
    );

    // More nodes than the allocation has hosts: one line, no start.
    let out = Command::new(pomp_cli())
        .args(["run", "-n", "3", "--"])
        .arg(&exe)
        .env("PATH", &path)
        .env("SLURM_JOB_NODELIST", "127.0.0.1,localhost")
        .output()
        .expect("run pomp");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("allocation has 2 host(s)"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// `POMP_DISPLAY_STATS=1` prints one line per node at exit with the
/// issue's figures; `pomp info` shows what a run with given options would
/// use.
#[test]
fn statistics_and_info() {
    let _m = machine();
    let exe = build("basic", &[]);
    // The stderr of a 2-node run with POMP_DISPLAY_STATS=`level`.
    let stats = |per_node: &str, level: &str| {
        let (out, _) = run(
            Command::new(pomp_cli())
                .args(["run", "-n", "2", "--threads-per-node", per_node, "--"])
                .arg(&exe)
                .env("POMP_DISPLAY_STATS", level),
            Duration::from_secs(120),
        );
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{err}");
        err
    };
    let err = stats("2", "1");
    assert!(!err.contains("hot page"), "{err}");
    for node in ["0", "1"] {
        let lines: Vec<&str> = err
            .lines()
            .filter(|l| l.starts_with(&format!("pomp: stats: node {node} ")))
            .collect();
        assert_eq!(lines.len(), 1, "node {node}: {err}");
        let words: Vec<&str> = lines[0].split_whitespace().collect();
        let field = |name: &str| -> f64 {
            let i = words
                .iter()
                .position(|w| *w == name)
                .unwrap_or_else(|| panic!("no {name} in {}", lines[0]));
            words[i + 1]
                .parse()
                .unwrap_or_else(|_| panic!("{name} in {}", lines[0]))
        };
        assert_eq!(field("regions"), 1.0, "{}", lines[0]);
        assert!(field("region-ms") > 0.0, "{}", lines[0]);
        assert_eq!(field("threads"), 2.0, "{}", lines[0]);
        assert!(field("barriers") >= 1.0, "{}", lines[0]);
        assert!(field("lock-requests") >= 1.0, "{}", lines[0]);
        for f in [
            "barrier-wait-ms",
            "read",
            "write",
            "upgrade",
            "pages-in",
            "bytes-out",
            "loop-claims",
        ] {
            assert!(field(f) >= 0.0);
        }
    }
    // `verbose` adds the pages that faulted most, with what they hold.
    let err = stats("1", "verbose");
    let hot: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("pomp: stats: node 1 hot page 0x"))
        .collect();
    assert!(!hot.is_empty() && hot.len() <= 8, "{err}");
    assert!(
        hot.iter().any(|l| l.contains("(main stack top-0x")),
        "node 1 reads the region's data on node 0's main stack: {err}"
    );
    let out = Command::new(pomp_cli())
        .args(["info", "-n", "3", "--threads-per-node", "2,1,1"])
        .env_remove("OMP_NUM_THREADS")
        .env_remove("SLURM_JOB_NODELIST")
        .env_remove("SLURM_NODELIST")
        .output()
        .expect("pomp info");
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{s}");
    assert!(s.contains("nodes:     3, processes of this machine"), "{s}");
    assert!(s.contains("threads:   2,1,1 per node; team size 4"), "{s}");
    assert!(s.contains("window:    0x"), "{s}");
    assert!(s.contains("transport: TCP"), "{s}");
}

/// Programs of tests/c that do not make sense across nodes (a name, or the
/// start of several), and why. Every other C program there runs in
/// `conformance_tests_across_*_nodes`.
const NOT_ACROSS_NODES: &[(&str, &str)] = &[
    (
        "affinity_capture",
        "places and binding describe one machine's CPUs: each node binds its own \
         share, so thread-to-place answers and affinity output differ",
    ),
    (
        "affinity_display",
        "as affinity_capture (also affinity_display_api)",
    ),
    ("affinity_format_api", "as affinity_capture"),
    ("proc_bind_binding", "as affinity_capture"),
    ("proc_bind_close", "as affinity_capture"),
    ("proc_bind_env_list", "as affinity_capture"),
    (
        "proc_bind_false",
        "threads keep the process's affinity mask, and pomp run binds each local \
         node to its own share of the CPUs: node 0's mask is not node 1's",
    ),
    ("proc_bind_primary", "as affinity_capture"),
    ("proc_bind_spread", "as affinity_capture"),
    ("proc_bind_true", "as affinity_capture"),
    ("proc_bind_unset", "as proc_bind_false"),
    (
        "alloc_clause",
        "allocator objects (omp_init_allocator) and their pools live in one node's memory",
    ),
    ("alloc_default_allocator", "as alloc_clause"),
    ("alloc_pool", "as alloc_clause"),
    (
        "teams_nested_parallel",
        "teams run on the host of node 0; their nested teams are node-local",
    ),
    (
        "parallel_no_extras",
        "checks the single-node constraints (no thread beyond the team, no signal \
         handler, libc's malloc); across nodes pomp adds a DSM service thread, a \
         SIGSEGV handler and the shared heap's malloc by design",
    ),
    (
        "threadprivate_copyprivate",
        "copyprivate of threadprivate variables: the broadcasting thread's \
         variables are thread-local storage of its node, out of the others' reach",
    ),
];

/// The C programs of tests/c that make sense across nodes.
fn across_nodes_programs() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(repo().join("tests/c"))
        .expect("tests/c")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            let stem = name.strip_suffix(".c")?.to_string();
            (!NOT_ACROSS_NODES.iter().any(|(p, _)| stem.starts_with(p))).then_some(stem)
        })
        .collect();
    v.sort();
    v
}

/// Item 8 of #7: the C conformance programs, across `nodes` local nodes
/// (4 threads in all) and on libgomp: same exit status, and the same output
/// where the program asks for it. A program's directives (env, flags)
/// apply to both.
fn conformance_across(nodes: &str, per_node: &str) {
    let _m = machine();
    let out_dir = target_dir().join("dist-tests").join("c");
    std::fs::create_dir_all(&out_dir).unwrap();
    let programs = across_nodes_programs();
    assert!(programs.len() >= 150, "{} programs", programs.len());
    let mut failures = Vec::new();
    for name in &programs {
        let src = repo().join("tests/c").join(format!("{name}.c"));
        let text = std::fs::read_to_string(&src).expect("read the program");
        let d = directives(&text).expect("directives");
        let exe = out_dir.join(name);
        let st = Command::new("gcc")
            .args([
                "-fopenmp",
                "-O2",
                "-Wl,-z,now",
                "-Wl,-z,relro",
                "-Itests/c/include",
            ])
            .current_dir(repo())
            .args(&d.cflags)
            .arg(&src)
            .arg("-o")
            .arg(&exe)
            .args(&d.ldflags)
            .arg("-lm")
            .status()
            .expect("run gcc");
        assert!(st.success(), "building {name}");
        // 4 threads in all, unless the program sets its own team sizes.
        let mut env: Vec<(String, String)> = d.env.clone();
        if !env.iter().any(|(k, _)| k == "OMP_NUM_THREADS") {
            env.push(("OMP_NUM_THREADS".to_string(), "4".to_string()));
        }
        let (reference, _) = run(
            Command::new(&exe).envs(env.iter().map(|(k, v)| (k, v))),
            Duration::from_secs(60),
        );
        let (dist, took) = run(
            Command::new(pomp_cli())
                .args(["run", "-n", nodes, "--threads-per-node", per_node, "--"])
                .arg(&exe)
                .envs(env.iter().map(|(k, v)| (k, v))),
            Duration::from_secs(120),
        );
        let same_output = !d.compare_output || reference.stdout == dist.stdout;
        if reference.status.code() != Some(0) || dist.status.code() != Some(0) || !same_output {
            failures.push(format!(
                "{name}: libgomp {:?}, {nodes} nodes {:?} in {took:?}{}: {}",
                reference.status,
                dist.status,
                if same_output { "" } else { ", outputs differ" },
                String::from_utf8_lossy(&dist.stdout)
                    .lines()
                    .chain(String::from_utf8_lossy(&dist.stderr).lines())
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" | ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn conformance_tests_across_two_nodes() {
    conformance_across("2", "2");
}

#[test]
fn conformance_tests_across_three_nodes() {
    conformance_across("3", "2,1,1");
}

/// Each thread's node (0 for thread 0's process, 1 for any other) and
/// affinity mask, as tests/dist/bind.c prints them.
fn masks(out: &Output) -> Vec<(i32, u64)> {
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && s.lines().any(|l| l == "OK"),
        "{s}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Vec<(u32, u64)> = s
        .lines()
        .filter_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            match w.as_slice() {
                ["thread", _, "pid", p, "mask", m] => {
                    Some((p.parse().ok()?, u64::from_str_radix(m, 16).ok()?))
                }
                _ => None,
            }
        })
        .collect();
    assert!(!got.is_empty(), "{s}");
    got.iter()
        .map(|&(p, m)| (i32::from(p != got[0].0), m))
        .collect()
}

#[test]
fn local_nodes_are_bound_to_their_share_of_the_cpus() {
    let _m = machine();
    let exe = build("bind", &[]);
    // The CPUs the job is given: the program's mask on its own.
    let (out, _) = run(
        Command::new(&exe).env("OMP_NUM_THREADS", "1"),
        Duration::from_secs(60),
    );
    let all = masks(&out)[0].1;
    let cpus = all.count_ones();
    let job = |extra: &[&str]| {
        let (out, _) = run(
            Command::new(pomp_cli())
                .args(["run", "-n", "2"])
                .args(extra)
                .arg("--")
                .arg(&exe)
                .env_remove("OMP_NUM_THREADS"),
            Duration::from_secs(120),
        );
        masks(&out)
    };
    // Default: with 2 or more CPUs, node 0 has the first half of them and
    // node 1 the rest, and each node runs one thread per CPU of its share.
    let got = job(&[]);
    let of = |n: i32| -> Vec<u64> { got.iter().filter(|t| t.0 == n).map(|t| t.1).collect() };
    let (m0, m1) = (of(0), of(1));
    assert_eq!(m0.len() + m1.len(), got.len(), "{got:?}");
    if cpus >= 2 {
        assert!(
            m0.iter().all(|&m| m == m0[0]) && m1.iter().all(|&m| m == m1[0]),
            "{got:?}"
        );
        assert_eq!(m0[0] & m1[0], 0, "the nodes' shares overlap: {got:?}");
        assert_eq!(
            m0[0] | m1[0],
            all,
            "the shares are not all the CPUs: {got:?}"
        );
        assert_eq!(m0[0].count_ones(), cpus.div_ceil(2), "{got:?}");
        assert!(m0[0].trailing_zeros() < m1[0].trailing_zeros(), "{got:?}");
        assert_eq!(
            m0.len() as u32,
            m0[0].count_ones(),
            "threads of node 0: {got:?}"
        );
        assert_eq!(
            m1.len() as u32,
            m1[0].count_ones(),
            "threads of node 1: {got:?}"
        );
    } else {
        assert!(got.iter().all(|t| t.1 == all), "{got:?}");
    }
    let info = |extra: &[&str]| {
        let out = Command::new(pomp_cli())
            .args(["info", "-n", "2"])
            .args(extra)
            .env_remove("SLURM_JOB_NODELIST")
            .env_remove("SLURM_NODELIST")
            .output()
            .expect("pomp info");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let s = info(&[]);
    if cpus >= 2 {
        assert!(s.contains("binding:   node 0 on CPU "), "{s}");
    }
    if cpus < 64 {
        // More nodes than CPUs: not bound by default, refused if asked for.
        assert!(info(&["-n", "64"]).contains("binding:   none"));
        let out = Command::new(pomp_cli())
            .args(["run", "-n", "64", "--bind-to", "core", "--", "/bin/true"])
            .output()
            .expect("run pomp");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.starts_with("pomp: --bind-to core: 64 nodes"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let s = info(&["--bind-to", "none"]);
    assert!(s.contains("binding:   none"), "{s}");
    // --bind-to none: every thread may run anywhere.
    let got = job(&["--bind-to", "none", "--threads-per-node", "1"]);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got.iter().all(|t| t.1 == all), "{got:?}");
    assert_eq!((got[0].0, got[1].0), (0, 1), "{got:?}");
}
