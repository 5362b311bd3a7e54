//! Reading the `OMP_*` and `GOMP_*` environment into the ICVs, and
//! `OMP_DISPLAY_ENV`.
//!
//! One parser per syntax (boolean, unsigned, unsigned list, size with unit,
//! spin count, schedule, bind list), each returning `None` for a malformed
//! value. A malformed value gets one warning line naming the variable and the
//! value, and the ICV keeps its default — never a crash, whatever the bytes.
//! Values are read as libgomp reads them: surrounding white space is ignored,
//! keywords are case-insensitive, sizes default to KiB.

use std::ffi::OsString;
use std::fmt::Write as _;

use crate::icv::{
    DisplayEnv, Global, ProcBind, SchedKind, Schedule, TaskIcv, WaitPolicy, SUPPORTED_ACTIVE_LEVELS,
};
use crate::sys;

/// Where variables come from: the process environment, or a table in tests.
pub trait Source {
    fn get(&self, name: &str) -> Option<OsString>;
}

struct ProcessEnv;

impl Source for ProcessEnv {
    fn get(&self, name: &str) -> Option<OsString> {
        std::env::var_os(name)
    }
}

/// Reads the process environment, prints the warnings, and honours
/// `OMP_DISPLAY_ENV`.
pub fn initialize() -> Global {
    let machine = crate::affinity::this_machine();
    let cpus = machine.cpus;
    let (global, warnings) = parse_on(&ProcessEnv, cpus, &machine);
    for w in &warnings {
        sys::write_stderr_line(w);
    }
    if !global.places.is_empty() {
        // As libgomp: with binding on, the initial thread is bound to the
        // first place from the start.
        crate::affinity::place_thread(&global.places);
    } else if machine.bound_by_libgomp {
        crate::affinity::unbind_thread(&machine);
    }
    crate::wait::configure(global.spin_count, global.throttled_spin_count, cpus);
    if global.display_env != DisplayEnv::No {
        sys::write_stderr_line(&display(
            &global,
            &global.initial,
            global.display_env == DisplayEnv::Verbose,
        ));
    }
    global
}

/// Builds the ICVs from `env`; returns them with one warning per bad value.
pub fn parse(env: &dyn Source, cpus: u32) -> (Global, Vec<String>) {
    parse_on(env, cpus, &crate::affinity::this_machine())
}

/// [`parse`], with the place list built for `machine`.
pub fn parse_on(
    env: &dyn Source,
    cpus: u32,
    machine: &crate::affinity::Machine,
) -> (Global, Vec<String>) {
    let mut p = Parser {
        env,
        warnings: Vec::new(),
    };

    let nthreads_list = p
        .read("OMP_NUM_THREADS", parse_uint_list)
        .unwrap_or_default();
    let sched = p
        .read("OMP_SCHEDULE", parse_schedule)
        .unwrap_or(Schedule::DEFAULT);
    let dynamic = p.read("OMP_DYNAMIC", parse_bool).unwrap_or(false);
    let thread_limit = p
        .read("OMP_THREAD_LIMIT", |s| {
            parse_uint(s)
                .filter(|&v| v > 0)
                .map(|v| v.min(u32::MAX as u64) as u32)
        })
        .unwrap_or(u32::MAX);
    let bind_list = p.read("OMP_PROC_BIND", parse_bind_list);
    // OMP_PLACES and GOMP_CPU_AFFINITY (see crate::affinity): a place list
    // turns binding on when OMP_PROC_BIND does not say.
    let places_text = p.raw("OMP_PLACES");
    let cpu_affinity_text = p.raw("GOMP_CPU_AFFINITY");
    let (places, place_warnings, listed) = crate::affinity::places_from_env(
        &crate::affinity::EnvAffinity {
            bind: bind_list.as_deref(),
            places: places_text.as_deref(),
            cpu_affinity: cpu_affinity_text.as_deref(),
        },
        machine,
    );
    p.warnings.extend(place_warnings);
    let bind_list = bind_list.unwrap_or_default();
    let initial_bind = match bind_list.first() {
        Some(&b) => b,
        None if listed => ProcBind::True,
        None => ProcBind::False,
    };
    let nested = p.read("OMP_NESTED", parse_bool);
    let max_levels = p.read("OMP_MAX_ACTIVE_LEVELS", |s| {
        parse_uint(s).map(|v| v.min(SUPPORTED_ACTIVE_LEVELS as u64) as u32)
    });
    // OpenMP 5.0: a list of more than one team size or binding asks for
    // nesting; OMP_NESTED decides when set; OMP_MAX_ACTIVE_LEVELS wins.
    let max_active_levels = match (max_levels, nested) {
        (Some(v), _) => v,
        (None, Some(true)) => SUPPORTED_ACTIVE_LEVELS,
        (None, Some(false)) => 1,
        (None, None) if nthreads_list.len() > 1 || bind_list.len() > 1 => SUPPORTED_ACTIVE_LEVELS,
        (None, None) => 1,
    };
    // OMP_STACKSIZE wins over GOMP_STACKSIZE when both are set. A stack
    // smaller than a thread can have is refused.
    let stack = |s: &str| parse_size(s).filter(|&v| v >= MIN_STACK);
    let stacksize = if p.env.get("OMP_STACKSIZE").is_some() {
        p.read("OMP_STACKSIZE", stack)
    } else {
        p.read("GOMP_STACKSIZE", stack)
    }
    .unwrap_or(0);
    let wait_policy = p
        .read("OMP_WAIT_POLICY", |s| {
            match s.to_ascii_lowercase().as_str() {
                "active" => Some(WaitPolicy::Active),
                "passive" => Some(WaitPolicy::Passive),
                _ => None,
            }
        })
        .unwrap_or(WaitPolicy::Unset);
    let spin_count = p
        .read("GOMP_SPINCOUNT", parse_spincount)
        .unwrap_or(match wait_policy {
            WaitPolicy::Active => 30_000_000_000,
            WaitPolicy::Passive => 0,
            WaitPolicy::Unset => 300_000,
        });
    let throttled_spin_count = match wait_policy {
        WaitPolicy::Active => 1000,
        _ => 100,
    }
    .min(spin_count);
    let cancellation = p.read("OMP_CANCELLATION", parse_bool).unwrap_or(false);
    let default_device = p
        .read("OMP_DEFAULT_DEVICE", |s| {
            parse_uint(s).filter(|&v| v <= i32::MAX as u64)
        })
        .unwrap_or(0) as i32;
    let max_task_priority = p
        .read("OMP_MAX_TASK_PRIORITY", |s| {
            parse_uint(s).filter(|&v| v <= i32::MAX as u64)
        })
        .unwrap_or(0) as i32;
    let display_env = p
        .read("OMP_DISPLAY_ENV", |s| {
            match s.to_ascii_lowercase().as_str() {
                "true" => Some(DisplayEnv::Yes),
                "false" => Some(DisplayEnv::No),
                "verbose" => Some(DisplayEnv::Verbose),
                _ => None,
            }
        })
        .unwrap_or(DisplayEnv::No);
    let num_teams = p
        .read("OMP_NUM_TEAMS", |s| {
            parse_uint(s).filter(|&v| v > 0 && v <= i32::MAX as u64)
        })
        .unwrap_or(0) as u32;
    let teams_thread_limit = p
        .read("OMP_TEAMS_THREAD_LIMIT", |s| {
            parse_uint(s).filter(|&v| v > 0 && v <= i32::MAX as u64)
        })
        .unwrap_or(0) as u32;
    let display_affinity = p.read("OMP_DISPLAY_AFFINITY", parse_bool).unwrap_or(false);
    let affinity_format = p
        .raw("OMP_AFFINITY_FORMAT")
        .unwrap_or_else(|| "level %L thread %i affinity %A".to_string());
    let allocator = p
        .read("OMP_ALLOCATOR", crate::alloc::predefined_name)
        .unwrap_or("omp_default_mem_alloc")
        .to_string();
    let target_offload = p
        .read("OMP_TARGET_OFFLOAD", |s| {
            match s.to_ascii_lowercase().as_str() {
                "default" => Some("DEFAULT"),
                "mandatory" => Some("MANDATORY"),
                "disabled" => Some("DISABLED"),
                _ => None,
            }
        })
        .unwrap_or("DEFAULT")
        .to_string();
    let barrier = p.read("POMP_BARRIER", |s| match s.to_ascii_lowercase().as_str() {
        "central" => Some(Some(crate::bar::Algorithm::Central)),
        "tree" => Some(Some(crate::bar::Algorithm::Tree)),
        "auto" => Some(None),
        _ => None,
    });

    let initial = TaskIcv {
        nthreads: nthreads_list.first().copied().unwrap_or(cpus.max(1)),
        dynamic,
        max_active_levels,
        thread_limit,
        run_sched: sched,
        bind: initial_bind,
        default_device,
        team_num: 0,
        num_teams: 1,
        def_allocator: crate::alloc::predefined_handle(&allocator),
    };
    let global = Global {
        initial,
        nthreads_list,
        bind_list,
        stacksize,
        wait_policy,
        spin_count,
        throttled_spin_count,
        cancellation,
        max_task_priority,
        display_env,
        places,
        num_teams,
        teams_thread_limit,
        display_affinity,
        affinity_format,
        allocator,
        target_offload,
        cpus,
        supported_active_levels: SUPPORTED_ACTIVE_LEVELS,
        barrier: barrier.flatten(),
    };
    (global, p.warnings)
}

struct Parser<'a> {
    env: &'a dyn Source,
    warnings: Vec<String>,
}

impl Parser<'_> {
    /// The variable's value if set, warning about (and dropping) a value that
    /// is not valid UTF-8.
    fn raw(&mut self, name: &str) -> Option<String> {
        let v = self.env.get(name)?;
        match v.into_string() {
            Ok(s) => Some(s),
            Err(v) => {
                self.warnings.push(format!(
                    "pomp: invalid value {:?} for environment variable {name}; using the default",
                    v
                ));
                None
            }
        }
    }

    /// Parses the variable with `f` after trimming white space; warns once
    /// and returns `None` if it is set but malformed.
    fn read<T>(&mut self, name: &str, f: impl FnOnce(&str) -> Option<T>) -> Option<T> {
        let raw = self.raw(name)?;
        let r = f(raw.trim_matches(is_space));
        if r.is_none() {
            self.warnings.push(format!(
                "pomp: invalid value '{}' for environment variable {name}; using the default",
                raw.escape_debug()
            ));
        }
        r
    }
}

/// C's `isspace` in the "C" locale.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// `true` / `false`, any case.
pub fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// A decimal unsigned integer, optionally preceded by `+`, with no sign,
/// fraction or trailing junk, that fits in 64 bits.
pub fn parse_uint(s: &str) -> Option<u64> {
    let s = s.trim_matches(is_space);
    let digits = s.strip_prefix('+').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A comma-separated list of positive integers that fit in `int`
/// (`OMP_NUM_THREADS`); white space around each element is ignored.
pub fn parse_uint_list(s: &str) -> Option<Vec<u32>> {
    s.split(',')
        .map(|e| {
            parse_uint(e)
                .filter(|&v| v > 0 && v <= i32::MAX as u64)
                .map(|v| v as u32)
        })
        .collect()
}

/// A size with an optional unit `B`, `K`, `M`, `G` (any case, default `K`),
/// white space allowed between number and unit (`OMP_STACKSIZE`).
pub fn parse_size(s: &str) -> Option<usize> {
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n = parse_uint(num)?;
    let shift = match unit.trim_matches(is_space).to_ascii_lowercase().as_str() {
        "" | "k" => 10,
        "b" => 0,
        "m" => 20,
        "g" => 30,
        _ => return None,
    };
    n.checked_mul(1u64 << shift)
        .and_then(|v| usize::try_from(v).ok())
}

/// The smallest worker stack accepted (glibc's PTHREAD_STACK_MIN is 16 KiB).
pub const MIN_STACK: usize = 16 << 10;

/// `GOMP_SPINCOUNT`: a count with an optional `k`, `M`, `G`, `T` suffix
/// (powers of 1000), or `infinite` / `infinity`; too large saturates.
pub fn parse_spincount(s: &str) -> Option<u64> {
    let lower = s.to_ascii_lowercase();
    if lower == "infinite" || lower == "infinity" {
        return Some(u64::MAX);
    }
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n = parse_uint(num)?;
    let mult: u64 = match unit.trim_matches(is_space).to_ascii_lowercase().as_str() {
        "" => 1,
        "k" => 1_000,
        "m" => 1_000_000,
        "g" => 1_000_000_000,
        "t" => 1_000_000_000_000,
        _ => return None,
    };
    Some(n.saturating_mul(mult))
}

/// `OMP_SCHEDULE`: `[monotonic:|nonmonotonic:]kind[,chunk]`.
///
/// As in libgomp, `static` without a modifier is monotonic; a chunk of 0
/// means the kind's default (none for static, 1 for the others). A negative
/// chunk is rejected (libgomp keeps it, and a dynamic loop with it never
/// ends).
pub fn parse_schedule(s: &str) -> Option<Schedule> {
    let (modifier, rest) = match s.split_once(':') {
        Some((m, rest)) => (Some(m.trim_matches(is_space).to_ascii_lowercase()), rest),
        None => (None, s),
    };
    let monotonic = match modifier.as_deref() {
        None => None,
        Some("monotonic") => Some(true),
        Some("nonmonotonic") => Some(false),
        Some(_) => return None,
    };
    let (kind, chunk) = match rest.split_once(',') {
        Some((k, c)) => (k, Some(c)),
        None => (rest, None),
    };
    let kind = match kind.trim_matches(is_space).to_ascii_lowercase().as_str() {
        "static" => SchedKind::Static,
        "dynamic" => SchedKind::Dynamic,
        "guided" => SchedKind::Guided,
        "auto" => SchedKind::Auto,
        _ => return None,
    };
    let default_chunk = if kind == SchedKind::Static { 0 } else { 1 };
    let chunk = match chunk {
        None => default_chunk,
        Some(c) => {
            // libgomp refuses a chunk beyond `int`; zero means the default.
            match parse_uint(c)? {
                0 => default_chunk,
                v if v > i32::MAX as u64 => return None,
                v => v as i64,
            }
        }
    };
    Some(Schedule {
        kind,
        chunk,
        monotonic: monotonic.unwrap_or(kind == SchedKind::Static),
    })
}

/// `OMP_PROC_BIND`: `true`, `false`, or a list of `primary` (`master`),
/// `close`, `spread`.
pub fn parse_bind_list(s: &str) -> Option<Vec<ProcBind>> {
    match parse_bool(s) {
        Some(true) => return Some(vec![ProcBind::True]),
        Some(false) => return Some(vec![ProcBind::False]),
        None => {}
    }
    s.split(',')
        .map(
            |e| match e.trim_matches(is_space).to_ascii_lowercase().as_str() {
                "primary" | "master" => Some(ProcBind::Primary),
                "close" => Some(ProcBind::Close),
                "spread" => Some(ProcBind::Spread),
                _ => None,
            },
        )
        .collect()
}

fn bool_name(b: bool) -> &'static str {
    if b {
        "TRUE"
    } else {
        "FALSE"
    }
}

/// The `OMP_DISPLAY_ENV` / `omp_display_env` text, in the spec's format and
/// libgomp's order, with one line saying which runtime this is. `icv` is the
/// data environment of the task that asks.
pub fn display(g: &Global, icv: &TaskIcv, verbose: bool) -> String {
    let mut o = String::new();
    let mut line = |name: &str, value: &str| {
        let _ = writeln!(o, "  {name} = '{value}'");
    };
    let nthreads = if g.nthreads_list.len() > 1 {
        let mut v: Vec<String> = vec![icv.nthreads.to_string()];
        v.extend(g.nthreads_list[1..].iter().map(|n| n.to_string()));
        v.join(",")
    } else {
        icv.nthreads.to_string()
    };
    let sched = icv.run_sched;
    let mut sched_text = String::new();
    if sched.monotonic && sched.kind != SchedKind::Static {
        sched_text.push_str("MONOTONIC:");
    }
    sched_text.push_str(sched.kind.name());
    let default_chunk = if sched.kind == SchedKind::Static {
        0
    } else {
        1
    };
    if sched.chunk != default_chunk {
        let _ = write!(sched_text, ",{}", sched.chunk);
    }
    let bind = if g.bind_list.len() > 1 {
        let mut v = vec![icv.bind.name()];
        v.extend(g.bind_list[1..].iter().map(|b| b.name()));
        v.join(",")
    } else {
        icv.bind.name().to_string()
    };

    line("_OPENMP", "201511");
    line("POMP_VERSION", concat!("pomp ", env!("CARGO_PKG_VERSION")));
    line("OMP_DYNAMIC", bool_name(icv.dynamic));
    line("OMP_NESTED", bool_name(icv.max_active_levels > 1));
    line("OMP_NUM_THREADS", &nthreads);
    line("OMP_SCHEDULE", &sched_text);
    line("OMP_PROC_BIND", &bind);
    line("OMP_PLACES", &g.places.to_string());
    line("OMP_STACKSIZE", &g.stacksize.to_string());
    line(
        "OMP_WAIT_POLICY",
        if g.wait_policy == WaitPolicy::Active {
            "ACTIVE"
        } else {
            "PASSIVE"
        },
    );
    line("OMP_THREAD_LIMIT", &icv.thread_limit.to_string());
    line("OMP_MAX_ACTIVE_LEVELS", &icv.max_active_levels.to_string());
    line("OMP_NUM_TEAMS", &g.num_teams.to_string());
    line("OMP_TEAMS_THREAD_LIMIT", &g.teams_thread_limit.to_string());
    line("OMP_CANCELLATION", bool_name(g.cancellation));
    line("OMP_DEFAULT_DEVICE", &icv.default_device.to_string());
    line("OMP_MAX_TASK_PRIORITY", &g.max_task_priority.to_string());
    line("OMP_DISPLAY_AFFINITY", bool_name(g.display_affinity));
    line("OMP_AFFINITY_FORMAT", &g.affinity_format);
    line("OMP_ALLOCATOR", &g.allocator);
    line("OMP_TARGET_OFFLOAD", &g.target_offload);
    if verbose {
        line("GOMP_CPU_AFFINITY", "");
        line("GOMP_STACKSIZE", &g.stacksize.to_string());
        line("GOMP_SPINCOUNT", &g.spin_count.to_string());
        line(
            "POMP_BARRIER",
            match g.barrier {
                None => "AUTO",
                Some(crate::bar::Algorithm::Central) => "CENTRAL",
                Some(crate::bar::Algorithm::Tree) => "TREE",
            },
        );
    }
    format!("\nOPENMP DISPLAY ENVIRONMENT BEGIN\n{o}OPENMP DISPLAY ENVIRONMENT END")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Table(HashMap<&'static str, &'static str>);

    impl Source for Table {
        fn get(&self, name: &str) -> Option<OsString> {
            self.0.get(name).map(OsString::from)
        }
    }

    fn with(vars: &[(&'static str, &'static str)]) -> (Global, Vec<String>) {
        parse(&Table(vars.iter().copied().collect()), 2)
    }

    #[test]
    fn defaults_match_libgomp() {
        let (g, w) = with(&[]);
        assert!(w.is_empty());
        assert_eq!(g.initial.nthreads, 2);
        assert_eq!(g.initial.run_sched, Schedule::DEFAULT);
        assert_eq!(g.initial.max_active_levels, 1);
        assert_eq!(g.initial.thread_limit, u32::MAX);
        assert_eq!(g.spin_count, 300_000);
        assert!(!g.cancellation);
    }

    #[test]
    fn num_threads_lists() {
        assert_eq!(parse_uint_list(" 4 , 2"), Some(vec![4, 2]));
        for bad in [
            "",
            "0",
            "-1",
            "4,",
            "2,,3",
            "3 4",
            "abc",
            "99999999999999999999",
            "5000000000",
        ] {
            assert_eq!(parse_uint_list(bad), None, "{bad:?}");
        }
        let (g, w) = with(&[("OMP_NUM_THREADS", "4,2")]);
        assert!(w.is_empty());
        assert_eq!(g.initial.nthreads, 4);
        assert_eq!(g.nthreads_list, vec![4, 2]);
        assert_eq!(g.initial.max_active_levels, 255, "a list turns nesting on");
    }

    #[test]
    fn one_warning_naming_variable_and_value() {
        let (g, w) = with(&[("OMP_NUM_THREADS", "abc"), ("OMP_DYNAMIC", "yes")]);
        assert_eq!(w.len(), 2);
        assert!(w[0].contains("OMP_NUM_THREADS") && w[0].contains("'abc'"));
        assert!(w[1].contains("OMP_DYNAMIC") && w[1].contains("'yes'"));
        assert_eq!(g.initial.nthreads, 2);
        assert!(!g.initial.dynamic);
    }

    #[test]
    fn schedules() {
        let s = |t| parse_schedule(t);
        assert_eq!(
            s(" Dynamic , 5 "),
            Some(Schedule {
                kind: SchedKind::Dynamic,
                chunk: 5,
                monotonic: false
            })
        );
        assert!(s("static").unwrap().monotonic);
        assert!(!s("nonmonotonic:static,2").unwrap().monotonic);
        assert!(s("MONOTONIC : dynamic").unwrap().monotonic);
        assert_eq!(s("dynamic,0").unwrap().chunk, 1);
        assert_eq!(s("static,0").unwrap().chunk, 0);
        assert_eq!(s("auto,4").unwrap().chunk, 4);
        for bad in [
            "bogus",
            "runtime",
            "dynamic,",
            "dynamic,x",
            "guided,-2",
            "odd:static",
            "",
        ] {
            assert_eq!(s(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn sizes_and_spincounts() {
        assert_eq!(parse_size("100"), Some(100 << 10));
        assert_eq!(parse_size("4 M"), Some(4 << 20));
        assert_eq!(parse_size("1g"), Some(1 << 30));
        assert_eq!(parse_size("512b"), Some(512));
        assert_eq!(parse_size("12X"), None);
        assert_eq!(parse_size("M"), None);
        let (g, w) = with(&[("OMP_STACKSIZE", "1")]);
        assert_eq!((g.stacksize, w.len()), (0, 1), "1 KiB is below the minimum");
        let (g, _) = with(&[("GOMP_STACKSIZE", "64k")]);
        assert_eq!(g.stacksize, 65536);
        assert_eq!(parse_spincount("10k"), Some(10_000));
        assert_eq!(parse_spincount("infinite"), Some(u64::MAX));
        assert_eq!(parse_spincount("99999999999T"), Some(u64::MAX));
        assert_eq!(parse_spincount("-5"), None);
    }

    #[test]
    fn nesting_rules() {
        let levels = |v: &[(&'static str, &'static str)]| with(v).0.initial.max_active_levels;
        assert_eq!(levels(&[("OMP_NESTED", "true")]), 255);
        assert_eq!(
            levels(&[("OMP_NESTED", "false"), ("OMP_NUM_THREADS", "4,2")]),
            1
        );
        assert_eq!(
            levels(&[("OMP_NESTED", "true"), ("OMP_MAX_ACTIVE_LEVELS", "3")]),
            3
        );
        assert_eq!(levels(&[("OMP_MAX_ACTIVE_LEVELS", "1000")]), 255);
        assert_eq!(levels(&[("OMP_PROC_BIND", "spread,close")]), 255);
    }

    #[test]
    fn wait_policies() {
        assert_eq!(
            with(&[("OMP_WAIT_POLICY", "active")]).0.spin_count,
            30_000_000_000
        );
        assert_eq!(with(&[("OMP_WAIT_POLICY", "passive")]).0.spin_count, 0);
        let (g, w) = with(&[("OMP_WAIT_POLICY", "activ")]);
        assert_eq!((g.spin_count, w.len()), (300_000, 1));
    }

    #[test]
    fn display_has_the_spec_frame_and_names_pomp() {
        let (g, _) = with(&[("OMP_SCHEDULE", "monotonic:dynamic,2")]);
        let text = display(&g, &g.initial, true);
        assert!(text.starts_with("\nOPENMP DISPLAY ENVIRONMENT BEGIN\n"));
        assert!(text.ends_with("OPENMP DISPLAY ENVIRONMENT END"));
        assert!(text.contains("  OMP_SCHEDULE = 'MONOTONIC:DYNAMIC,2'\n"));
        assert!(text.contains("POMP_VERSION = 'pomp "));
        assert!(text.contains("GOMP_SPINCOUNT = '300000'"));
    }
}
