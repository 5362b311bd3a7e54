//! Thread affinity (libgomp's affinity.c and the place parsers of env.c):
//! the place list, where each thread of a team sits, binding threads to
//! their places, and the `omp_get_place_*` / `omp_get_partition_*` and
//! affinity-format routines.
//!
//! ## Places
//!
//! The place list comes from `OMP_PLACES` (an abstract name of
//! [`crate::topology`] or an explicit list), else from `GOMP_CPU_AFFINITY`
//! (one place per CPU), else, when binding is on without either, one place
//! per CPU of the process. It is empty when binding is off, and then nothing
//! here costs more than one check per region.
//!
//! ## Seats
//!
//! Each thread has a *seat*: its place and its place partition (a run of
//! consecutive places, `off .. off + len`). The initial thread sits in
//! place 0 with the whole list as its partition. When a thread starts a
//! region, the region's policy (`primary`, `close`, `spread`: OpenMP 5.2,
//! section 10.1.3, with libgomp's choices where the spec leaves them open)
//! decides the seat of each thread of the new team from the primary
//! thread's seat alone ([`seat`]); so the primary thread publishes its seat
//! and the policy in its team's [`TeamAffinity`], and each worker computes
//! its own seat from its thread number when it joins the region. A thread
//! whose place changes is bound to the place's CPUs (`sched_setaffinity`).
//!
//! ## Where pomp differs from libgomp
//!
//! - When a hot team grows and its threads outnumber the places, GCC 12's
//!   libgomp seats the added threads differently from a fresh team of the
//!   same size (`OMP_PLACES={0},{1}`: a team of 4 right after one of 3 gets
//!   places 0,0,1,0 instead of 0,0,1,1), and a reused thread moved to
//!   another place may stay bound to its old CPUs. pomp seats every team as
//!   a fresh one and always rebinds.
//! - A malformed affinity-format field stops a libgomp program; pomp prints
//!   it as written and warns once (see [`crate::affinity_fmt`]).

use std::cell::{Cell, RefCell};
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::RwLock;

use crate::affinity_fmt::{self, Field, Value};
use crate::icv::{self, ProcBind};
use crate::topology::{self, CpuSet, Level};

/// The place list (place-list-var).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Places {
    list: Vec<CpuSet>,
}

impl Places {
    pub fn new(list: Vec<CpuSet>) -> Places {
        Places { list }
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&CpuSet> {
        self.list.get(i)
    }

    pub fn iter(&self) -> impl Iterator<Item = &CpuSet> {
        self.list.iter()
    }
}

/// As `OMP_DISPLAY_ENV` shows the list, in libgomp's notation: `{0:2},{5}`
/// (runs of consecutive CPUs as `first:count`).
impl fmt::Display for Places {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.list.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str("{")?;
            for (j, (first, n)) in p.runs().into_iter().enumerate() {
                if j > 0 {
                    f.write_str(",")?;
                }
                if n == 1 {
                    write!(f, "{first}")?;
                } else {
                    write!(f, "{first}:{n}")?;
                }
            }
            f.write_str("}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Places {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Places({self})")
    }
}

// ---------------------------------------------------------------------
// Parsing `OMP_PLACES` and `GOMP_CPU_AFFINITY`.

/// What the place parsers need to know about the machine.
pub struct Machine {
    /// The CPUs the process may run on.
    pub allowed: CpuSet,
    /// How many CPUs the process has (`omp_get_num_procs`).
    pub cpus: u32,
    /// CPU numbers from here on cannot exist (the kernel's mask size).
    pub capacity: u32,
    /// The groups of a set of CPUs at a level ([`topology::groups`] on a
    /// real machine); only asked for when `OMP_PLACES` names one.
    pub groups: fn(Level, &CpuSet) -> Vec<CpuSet>,
    /// GCC's libgomp, loaded beside pomp, bound the calling thread before
    /// pomp started (see [`crate::sys::topology::libgomp_view`]).
    pub bound_by_libgomp: bool,
}

/// The machine this process runs on, as the calling thread sees it.
pub fn this_machine() -> Machine {
    let mut allowed = topology::thread_cpus();
    let mut cpus = allowed.len().max(1);
    let view = crate::sys::topology::libgomp_view();
    if let Some((seen, n)) = &view {
        allowed.union_with(&seen.iter().copied().collect());
        cpus = *n;
    }
    let last = allowed.iter().last().map_or(0, |c| c + 1);
    Machine {
        allowed,
        cpus,
        capacity: crate::sys::topology::mask_capacity().max(last),
        groups: topology::groups,
        bound_by_libgomp: view.is_some(),
    }
}

/// The most places a list may have.
const MAX_PLACES: usize = 1 << 16;

/// Parses `OMP_PLACES`. Returns the places, cut down to the CPUs of the
/// process, and a notice if that cut dropped some places; or why the value
/// is refused. As libgomp: an abstract name with an optional count; or a
/// comma-separated list of places, each `{cpus}` or a single CPU number,
/// optionally `:len[:stride]` (a run of `len` places, each the previous one
/// moved by `stride`), or `!place` (removes the first equal place listed so
/// far). Inside braces, items are `cpu[:len[:stride]]` or `!cpu`; the
/// exclusions apply after all the inclusions of the place.
pub fn parse_places(text: &str, m: &Machine) -> Result<(Places, Option<String>), String> {
    let mut c = Cursor::new(text);
    c.skip_space();
    if c.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
        return parse_abstract(&mut c, m).map(|p| (p, None));
    }
    let mut list: Vec<CpuSet> = Vec::new();
    loop {
        c.skip_space();
        let negate = c.eat(b'!');
        if negate {
            c.skip_space();
        }
        let place = if c.eat(b'{') {
            c.skip_space();
            parse_braced(&mut c, m.capacity)?
        } else {
            let n = c.ulong().ok_or("expected a place")?;
            single_cpu(n, m.capacity)?
        };
        c.skip_space();
        let (mut len, mut stride) = (1u64, 1i64);
        let interval = c.eat(b':');
        if interval {
            len = c.ulong().filter(|&l| l > 0).ok_or("bad place count")?;
            c.skip_space();
            if c.eat(b':') {
                stride = c.long().ok_or("bad place stride")?;
            }
        }
        if negate {
            if interval {
                return Err("an excluded place cannot be an interval".into());
            }
            let at = list
                .iter()
                .position(|p| *p == place)
                .ok_or("excludes a place that is not in the list")?;
            list.remove(at);
        } else {
            for k in 0..len {
                if list.len() >= MAX_PLACES {
                    return Err("too many places".into());
                }
                list.push(shift(&place, k as i64 * stride, m.capacity)?);
            }
        }
        c.skip_space();
        if c.at_end() {
            break;
        }
        if !c.eat(b',') {
            return Err("expected ','".into());
        }
    }
    if list.is_empty() {
        return Err("all places have been removed".into());
    }
    let before = list.len();
    let kept: Vec<CpuSet> = list
        .iter()
        .map(|p| p.intersection(&m.allowed))
        .filter(|p| !p.is_empty())
        .collect();
    if kept.is_empty() {
        return Err("no place contains a CPU this process may use".into());
    }
    let notice = (kept.len() != before).then(|| {
        format!(
            "number of places reduced from {before} to {} because some places contain no CPU this process may use",
            kept.len()
        )
    });
    Ok((Places::new(kept), notice))
}

/// `name` or `name(count)`.
fn parse_abstract(c: &mut Cursor, m: &Machine) -> Result<Places, String> {
    let name = c.take_while(|b| b.is_ascii_alphanumeric() || b == b'_');
    let level = Level::from_name(name).ok_or("unknown abstract name")?;
    c.skip_space();
    let mut count = usize::MAX;
    if c.eat(b'(') {
        let n = c.ulong().ok_or("bad count")?;
        if n == 0 {
            return Err("a count must be positive".into());
        }
        count = usize::try_from(n).unwrap_or(usize::MAX);
        c.skip_space();
        if !c.eat(b')') {
            return Err("expected ')'".into());
        }
        c.skip_space();
    }
    if !c.at_end() {
        return Err("unexpected text after the name".into());
    }
    let mut groups = (m.groups)(level, &m.allowed);
    groups.truncate(count);
    if groups.is_empty() {
        return Err("the topology has no such places".into());
    }
    Ok(Places::new(groups))
}

/// The inside of `{...}`, the `{` already read.
fn parse_braced(c: &mut Cursor, capacity: u32) -> Result<CpuSet, String> {
    let mut set = CpuSet::new();
    let mut excluded: Vec<u32> = Vec::new();
    loop {
        // libgomp takes `!` only right after `{` or `,`, and white space
        // after it; numbers may have white space before them.
        let negate = c.eat(b'!');
        if negate {
            c.skip_space();
        }
        let n = c.ulong().ok_or("expected a CPU number")?;
        let (mut len, mut stride) = (1u64, 1i64);
        if c.eat(b':') {
            len = c.ulong().filter(|&l| l > 0).ok_or("bad CPU count")?;
            if c.eat(b':') {
                stride = c.long().ok_or("bad CPU stride")?;
            }
            if negate {
                return Err("an excluded CPU cannot be an interval".into());
            }
        }
        if negate {
            if n >= capacity as u64 {
                return Err(format!("CPU number {n} out of range"));
            }
            excluded.push(n as u32);
        } else {
            // A stride of 0 names the same CPU again and again.
            let len = if stride == 0 { 1 } else { len };
            for k in 0..len {
                let cpu = n as i128 + k as i128 * stride as i128;
                if cpu < 0 || cpu >= capacity as i128 {
                    return Err(format!("CPU number {cpu} out of range"));
                }
                set.insert(cpu as u32);
            }
        }
        c.skip_space();
        if c.eat(b'}') {
            break;
        }
        if !c.eat(b',') {
            return Err("expected ',' or '}'".into());
        }
    }
    for cpu in excluded {
        if !set.remove(cpu) {
            return Err(format!("CPU {cpu} to exclude is not in the place"));
        }
    }
    Ok(set)
}

fn single_cpu(n: u64, capacity: u32) -> Result<CpuSet, String> {
    if n >= capacity as u64 {
        return Err(format!("CPU number {n} out of range"));
    }
    Ok(std::iter::once(n as u32).collect())
}

/// `place` with every CPU moved by `by`.
fn shift(place: &CpuSet, by: i64, capacity: u32) -> Result<CpuSet, String> {
    if by == 0 {
        return Ok(place.clone());
    }
    place
        .iter()
        .map(|cpu| {
            let moved = cpu as i64 + by;
            if moved < 0 || moved >= capacity as i64 {
                Err(format!("CPU number {cpu}{by:+} out of range"))
            } else {
                Ok(moved as u32)
            }
        })
        .collect()
}

/// Parses `GOMP_CPU_AFFINITY`: CPU numbers and ranges `a-b[:stride]`,
/// separated by white space or a comma; one place per CPU, in the order
/// given. As libgomp: CPUs the machine cannot have are skipped, and CPUs
/// outside the process's mask are kept.
pub fn parse_cpu_affinity(text: &str, capacity: u32) -> Option<Places> {
    let mut c = Cursor::new(text);
    c.skip_space();
    if c.at_end() {
        return None;
    }
    let mut list = Vec::new();
    loop {
        let a = c.digits()?;
        let (mut b, mut stride) = (a, 1);
        if c.eat(b'-') {
            b = c.digits()?;
            if b < a {
                return None;
            }
            if c.eat(b':') {
                stride = c.digits().filter(|&s| s > 0)?;
            }
        }
        let last = b.min(u64::from(capacity.saturating_sub(1)));
        let mut cpu = a;
        while cpu <= last {
            if list.len() >= MAX_PLACES {
                return None;
            }
            list.push(std::iter::once(cpu as u32).collect());
            cpu = cpu.saturating_add(stride);
        }
        c.skip_space();
        if c.at_end() {
            break;
        }
        if c.eat(b',') {
            c.skip_space();
        }
        if !c.peek().is_some_and(|b| b.is_ascii_digit() || b == b'+') {
            return None;
        }
    }
    Some(Places::new(list))
}

/// A byte cursor over an environment value.
struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Cursor<'a> {
        Cursor {
            s: s.as_bytes(),
            i: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn at_end(&self) -> bool {
        self.i >= self.s.len()
    }

    fn eat(&mut self, b: u8) -> bool {
        let yes = self.peek() == Some(b);
        if yes {
            self.i += 1;
        }
        yes
    }

    fn skip_space(&mut self) {
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_whitespace() || b == 0x0b)
        {
            self.i += 1;
        }
    }

    fn take_while(&mut self, f: impl Fn(u8) -> bool) -> &'a str {
        let start = self.i;
        while self.peek().is_some_and(&f) {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i]).unwrap_or("")
    }

    /// `[+]digits`, fitting in 64 bits.
    fn digits(&mut self) -> Option<u64> {
        let save = self.i;
        self.eat(b'+');
        let d = self.take_while(|b| b.is_ascii_digit());
        let v = d.parse().ok();
        if v.is_none() {
            self.i = save;
        }
        v
    }

    /// An unsigned number as C's `strtoul` reads one here: leading white
    /// space, an optional `+`.
    fn ulong(&mut self) -> Option<u64> {
        self.skip_space();
        self.digits()
    }

    /// A signed number (`strtol`).
    fn long(&mut self) -> Option<i64> {
        self.skip_space();
        let neg = self.eat(b'-');
        let v = self.digits()?;
        if neg {
            0i64.checked_sub_unsigned(v)
        } else {
            i64::try_from(v).ok()
        }
    }
}

/// What the environment says about binding, as [`crate::env`] asks.
pub struct EnvAffinity<'a> {
    /// `OMP_PROC_BIND` as parsed (`None` if unset or malformed).
    pub bind: Option<&'a [ProcBind]>,
    pub places: Option<&'a str>,
    pub cpu_affinity: Option<&'a str>,
}

/// Builds the place list from the environment, the libgomp way: the
/// variables are always checked; `OMP_PROC_BIND=false` keeps the list
/// empty; a list from `OMP_PLACES` wins over one from `GOMP_CPU_AFFINITY`;
/// binding on without either gives one place per CPU. Returns the places,
/// the warnings, and whether a list came from `OMP_PLACES` or
/// `GOMP_CPU_AFFINITY` (which turns binding on when `OMP_PROC_BIND` is
/// unset).
pub fn places_from_env(e: &EnvAffinity, m: &Machine) -> (Places, Vec<String>, bool) {
    let mut warnings = Vec::new();
    let off = e.bind == Some(&[ProcBind::False][..]);
    let mut places = Places::default();
    if let Some(v) = e.places {
        match parse_places(v.trim(), m) {
            Ok((p, notice)) if !off => {
                if let Some(n) = notice {
                    warnings.push(format!("pomp: OMP_PLACES='{v}': {n}"));
                }
                places = p;
            }
            Ok(_) => {}
            Err(why) => warnings.push(format!(
                "pomp: invalid value '{}' for environment variable OMP_PLACES ({why}); using the default",
                v.escape_debug()
            )),
        }
    }
    if let Some(v) = e.cpu_affinity {
        match parse_cpu_affinity(v, m.capacity) {
            Some(p) if places.is_empty() && !off => places = p,
            Some(_) => {}
            None => warnings.push(format!(
                "pomp: invalid value '{}' for environment variable GOMP_CPU_AFFINITY; using the default",
                v.escape_debug()
            )),
        }
    }
    let listed = !places.is_empty();
    let binding = match e.bind.and_then(|b| b.first()) {
        Some(&b) => b != ProcBind::False,
        None => listed,
    };
    if binding && places.is_empty() {
        places = Places::new((m.groups)(Level::Threads, &m.allowed));
    }
    (places, warnings, listed)
}

// ---------------------------------------------------------------------
// Seats: where each thread of a team sits.

/// How a region places its threads (bind-var, or the `proc_bind` clause).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    Primary,
    Close,
    Spread,
}

impl Policy {
    /// The policy of a region whose encountering task has bind-var `bind`
    /// and whose `proc_bind` clause is `clause` (0: none): the clause
    /// replaces bind-var unless binding is off; `true` places threads as
    /// `close` does.
    pub fn resolve(bind: ProcBind, clause: u32) -> Option<Policy> {
        let b = match (bind, ProcBind::from_raw(clause)) {
            (ProcBind::False, _) => return None,
            (_, Some(c)) if clause != 0 => c,
            (b, _) => b,
        };
        Some(match b {
            ProcBind::False => return None,
            ProcBind::Primary => Policy::Primary,
            ProcBind::True | ProcBind::Close => Policy::Close,
            ProcBind::Spread => Policy::Spread,
        })
    }

    fn code(p: Option<Policy>) -> u32 {
        match p {
            None => 0,
            Some(Policy::Primary) => 1,
            Some(Policy::Close) => 2,
            Some(Policy::Spread) => 3,
        }
    }

    fn decode(v: u32) -> Option<Policy> {
        match v & 3 {
            1 => Some(Policy::Primary),
            2 => Some(Policy::Close),
            3 => Some(Policy::Spread),
            _ => None,
        }
    }
}

/// A thread's place and place partition (`off .. off + len`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seat {
    pub place: u32,
    pub off: u32,
    pub len: u32,
}

/// No place (binding off, or not yet placed).
const NO_PLACE: u32 = u32::MAX;

impl Seat {
    const NONE: Seat = Seat {
        place: NO_PLACE,
        off: 0,
        len: 0,
    };
}

/// How many places thread `tid` of `n` is past the primary thread's
/// place, when `n` threads are spread over `len` places in order: one per
/// place while they fit; beyond, `n / len` per place for the first
/// `n - n % len` threads and the remaining ones one per place again, from
/// the primary thread's place on (libgomp's order).
fn step(n: u32, len: u32, tid: u32) -> u32 {
    if n <= len {
        return tid;
    }
    let per = n / len;
    let full = n - n % len;
    if tid < full {
        tid / per
    } else {
        len + (tid - full)
    }
}

/// The seat of thread `tid` of a team of `n` under `policy`, given the
/// primary thread's seat before the region (OpenMP 5.2, 10.1.3):
///
/// - `primary`: every thread in the primary thread's place, in its
///   partition;
/// - `close`: consecutive places of the partition from the primary
///   thread's, wrapping around; the partition is unchanged;
/// - `spread` with `n <= len`: the partition is cut into `n` runs of
///   consecutive places (the first `len % n` runs one place longer); thread
///   `i` gets the `i`-th run from the primary thread's, wrapping around, as
///   its partition and the run's first place (the primary thread keeps its
///   place);
/// - `spread` with `n > len`: places as for `close`, each thread's
///   partition being its place alone.
pub fn seat(policy: Policy, n: u32, primary: Seat, tid: u32) -> Seat {
    let Seat { place, off, len } = primary;
    if len == 0 || n == 0 {
        return primary;
    }
    // `k` places on from the primary thread's, wrapping around the
    // partition.
    let around = |k: u32| {
        let from = u64::from(place.saturating_sub(off));
        off + ((from + u64::from(k)) % u64::from(len)) as u32
    };
    match policy {
        Policy::Primary => primary,
        Policy::Close => Seat {
            place: around(step(n, len, tid)),
            off,
            len,
        },
        Policy::Spread if n > len => {
            let p = around(step(n, len, tid));
            Seat {
                place: p,
                off: p,
                len: 1,
            }
        }
        Policy::Spread => {
            let (s, rest) = (len / n, len % n);
            let start = |j: u32| off + j * s + j.min(rest);
            let rel = place.saturating_sub(off);
            let mine = if rel < rest * (s + 1) {
                rel / (s + 1)
            } else {
                rest + (rel - rest * (s + 1)) / s
            };
            let j = (mine + tid) % n;
            Seat {
                place: if tid == 0 { place } else { start(j) },
                off: start(j),
                len: s + u32::from(j < rest),
            }
        }
    }
}

// ---------------------------------------------------------------------
// The fork hooks (called from crate::team).

/// Set by a team's primary thread at each fork when places exist or
/// affinity is displayed, read by the team's workers when they join the
/// region (the dock word's Release/Acquire orders the accesses). Between
/// regions it also holds the primary thread's seat to restore at the join.
#[derive(Default)]
pub struct TeamAffinity {
    /// The policy's code in bits 0-1, [`SHOW`] in bit 2.
    mode: AtomicU32,
    place: AtomicU32,
    off: AtomicU32,
    len: AtomicU32,
}

/// `mode` bit: every thread of the region displays its affinity.
const SHOW: u32 = 4;

impl TeamAffinity {
    pub fn new() -> TeamAffinity {
        TeamAffinity::default()
    }

    fn store(&self, mode: u32, s: Seat) {
        // Written only when changed: the workers keep the line shared.
        for (a, v) in [
            (&self.mode, mode),
            (&self.place, s.place),
            (&self.off, s.off),
            (&self.len, s.len),
        ] {
            if a.load(Ordering::Relaxed) != v {
                a.store(v, Ordering::Relaxed);
            }
        }
    }

    fn primary_seat(&self) -> Seat {
        Seat {
            place: self.place.load(Ordering::Relaxed),
            off: self.off.load(Ordering::Relaxed),
            len: self.len.load(Ordering::Relaxed),
        }
    }
}

/// What the primary thread still has to do once it has its place in the
/// new team: [`fork`] returns it, [`announce`] does it.
#[derive(Clone, Copy, Debug)]
#[must_use]
pub struct Pending {
    show: bool,
}

thread_local! {
    /// The calling thread's seat.
    static SEAT: Cell<Seat> = const { Cell::new(Seat::NONE) };
    /// The place this thread is bound to.
    static BOUND: Cell<u32> = const { Cell::new(NO_PLACE) };
    /// The team size and places of the last outermost region this thread
    /// displayed the affinity of, as primary thread.
    static SHOWN: RefCell<Option<(u32, Vec<u32>)>> = const { RefCell::new(None) };
}

/// Whether anything here is on: places exist or affinity is displayed.
#[inline]
fn active(g: &icv::Global) -> bool {
    !g.places.is_empty() || g.display_affinity
}

/// The primary thread's side of a fork, before the workers are released:
/// decides the region's policy from the encountering task's bind-var
/// `bind` and the `proc_bind` clause, publishes it with the primary
/// thread's seat in `slot`, and moves the primary thread to its seat in the
/// new team. `level` is the new region's nesting level.
#[inline]
pub fn fork(slot: &TeamAffinity, bind: ProcBind, clause: u32, n: u32, level: u32) -> Pending {
    let g = icv::global();
    if !active(g) {
        return Pending { show: false };
    }
    fork_slow(g, slot, bind, clause, n, level)
}

#[cold]
fn fork_slow(
    g: &icv::Global,
    slot: &TeamAffinity,
    bind: ProcBind,
    clause: u32,
    n: u32,
    level: u32,
) -> Pending {
    let policy = if g.places.is_empty() {
        None
    } else {
        Policy::resolve(bind, clause)
    };
    let me = current_seat(g);
    let show = g.display_affinity && n > 1 && should_show(policy, n, me, level);
    slot.store(Policy::code(policy) | if show { SHOW } else { 0 }, me);
    if let Some(p) = policy {
        SEAT.with(|s| s.set(seat(p, n, me, 0)));
    }
    Pending { show }
}

/// libgomp's rule for `OMP_DISPLAY_AFFINITY`: every thread of a nested
/// team of more than one thread displays; an outermost team displays when
/// its size or any thread's place differs from the last time it did.
fn should_show(policy: Option<Policy>, n: u32, me: Seat, level: u32) -> bool {
    if level > 1 {
        return true;
    }
    let places: Vec<u32> = match policy {
        Some(p) => (0..n).map(|t| seat(p, n, me, t).place).collect(),
        None => Vec::new(),
    };
    SHOWN.with(|s| {
        let mut s = s.borrow_mut();
        let now = Some((n, places));
        let changed = *s != now;
        *s = now;
        changed
    })
}

/// The primary thread's side, once it has its place in the new team:
/// displays its affinity if the region does.
#[inline]
pub fn announce(f: Pending) {
    if f.show {
        display_line();
    }
}

/// The primary thread's side of the join: back to its seat before the
/// region.
#[inline]
pub fn join(slot: &TeamAffinity) {
    if icv::global().places.is_empty() {
        return;
    }
    let me = slot.primary_seat();
    SEAT.with(|s| s.set(me));
}

/// A worker's side of a fork, once it is thread `tid` of the region's `n`:
/// takes its seat, binds itself if its place changed, and displays its
/// affinity if the region does.
#[inline]
pub fn enter(slot: &TeamAffinity, tid: u32, n: u32) {
    let g = icv::global();
    if !active(g) {
        return;
    }
    enter_slow(g, slot, tid, n);
}

#[cold]
fn enter_slow(g: &icv::Global, slot: &TeamAffinity, tid: u32, n: u32) {
    let mode = slot.mode.load(Ordering::Relaxed);
    if let Some(p) = Policy::decode(mode) {
        let s = seat(p, n, slot.primary_seat(), tid);
        SEAT.with(|c| c.set(s));
        bind(g, s.place);
    }
    if mode & SHOW != 0 {
        display_line();
    }
}

/// The calling thread's seat, placing it in place 0 with the whole list as
/// partition the first time (the initial thread at start-up, and threads
/// the program started itself).
fn current_seat(g: &icv::Global) -> Seat {
    let s = SEAT.with(|s| s.get());
    if s.place != NO_PLACE || g.places.is_empty() {
        return s;
    }
    place_thread(&g.places)
}

/// Places the calling thread in place 0 of `places`, with the whole list
/// as its partition, and binds it there.
pub fn place_thread(places: &Places) -> Seat {
    let s = Seat {
        place: 0,
        off: 0,
        len: places.len() as u32,
    };
    if let Some(p) = places.get(0) {
        SEAT.with(|c| c.set(s));
        BOUND.with(|b| {
            crate::sys::topology::set_thread_affinity(p.words());
            b.set(0);
        });
    }
    s
}

/// Gives the calling thread every CPU of the machine's process again (when
/// libgomp bound it and pomp does not bind).
pub fn unbind_thread(m: &Machine) {
    crate::sys::topology::set_thread_affinity(m.allowed.words());
}

/// Binds the calling thread to `place` unless it already is.
fn bind(g: &icv::Global, place: u32) {
    BOUND.with(|b| {
        if b.get() != place {
            if let Some(cpus) = g.places.get(place as usize) {
                // A place without a usable CPU (GOMP_CPU_AFFINITY may
                // name some) leaves the thread where it was.
                crate::sys::topology::set_thread_affinity(cpus.words());
            }
            b.set(place);
        }
    });
}

/// Where a worker, thread `tid` of its team, should move when it finds
/// itself on `primary`, its primary thread's CPU: the CPU `tid` steps after
/// `primary` in `allowed`, or `None` when that is `primary` itself (as many
/// threads as CPUs before it) or `primary` is not in `allowed`.
fn settle_cpu(primary: u32, tid: u32, allowed: &CpuSet) -> Option<u32> {
    let cpus: Vec<u32> = allowed.iter().collect();
    let at = cpus.iter().position(|&c| c == primary)?;
    let to = cpus[(at + tid as usize) % cpus.len()];
    (to != primary).then_some(to)
}

/// The shortest time between two moves of one thread by
/// [`settle_worker`]: when other load keeps every CPU busy the kernel may
/// put the thread back, and moving it at every region would cost more than
/// the sharing.
const SETTLE_EVERY: std::time::Duration = std::time::Duration::from_millis(10);

thread_local! {
    /// When [`settle_worker`] last moved this thread.
    static SETTLED_AT: Cell<Option<std::time::Instant>> = const { Cell::new(None) };
}

/// A worker's check as it joins a region of its team, whose primary thread
/// ran on `primary_cpu` at the fork: if this thread runs on that same CPU
/// and binding is off, it moves to [`settle_cpu`] (see [`settle_slow`]).
#[inline]
pub fn settle_worker(primary_cpu: u32, tid: u32) {
    if crate::sys::topology::current_cpu() == Some(primary_cpu) {
        settle_slow(primary_cpu, tid);
    }
}

/// Two threads of one team on one CPU is the worst place the kernel can
/// give them while another CPU is free or shared with other work: each wait
/// of the one spins for a millisecond before it yields to the other, which
/// it waits for, and the kernel moves one of them away only after several
/// such waits (NPB CG class S ran 0.017 s instead of 0.007), or never while
/// other load keeps the other CPUs busy (a construct then costs 800 us
/// instead of 0.2). The kernel does it on this machine when it starts a
/// thread or wakes a sleeping one while the other CPU is busy for an
/// instant (with the shell that started the program, say). So the worker
/// restricts itself to one other CPU, which moves it there at once, and
/// gives itself back its whole mask: a kernel placement, not binding; the
/// kernel may move it again.
#[cold]
fn settle_slow(primary_cpu: u32, tid: u32) {
    if !icv::global().places.is_empty() {
        return;
    }
    let now = std::time::Instant::now();
    if SETTLED_AT
        .with(Cell::get)
        .is_some_and(|t| now.duration_since(t) < SETTLE_EVERY)
    {
        return;
    }
    let Some(mask) = crate::sys::topology::thread_affinity() else {
        return;
    };
    let Some(to) = settle_cpu(primary_cpu, tid, &CpuSet::from_words(mask.clone())) else {
        return;
    };
    let mut one = CpuSet::new();
    one.insert(to);
    if crate::sys::topology::set_thread_affinity(one.words()) {
        crate::sys::topology::set_thread_affinity(&mask);
        SETTLED_AT.with(|t| t.set(Some(now)));
    }
}

// ---------------------------------------------------------------------
// The place queries of the API.

/// `omp_get_num_places`.
pub fn num_places() -> i32 {
    icv::global().places.len() as i32
}

/// `omp_get_place_num_procs`: 0 for a place that does not exist.
pub fn place_num_procs(place: i32) -> i32 {
    usize::try_from(place)
        .ok()
        .and_then(|p| icv::global().places.get(p))
        .map_or(0, |s| s.len() as i32)
}

/// `omp_get_place_proc_ids`: the CPUs of `place`, in increasing order
/// (nothing for a place that does not exist).
pub fn place_proc_ids(place: i32) -> Vec<u32> {
    usize::try_from(place)
        .ok()
        .and_then(|p| icv::global().places.get(p))
        .map(|s| s.iter().collect())
        .unwrap_or_default()
}

/// `omp_get_place_num`: -1 when the thread is not bound.
pub fn place_num() -> i32 {
    let g = icv::global();
    if g.places.is_empty() {
        return -1;
    }
    current_seat(g).place as i32
}

/// `omp_get_partition_num_places`.
pub fn partition_num_places() -> i32 {
    let g = icv::global();
    if g.places.is_empty() {
        return 0;
    }
    current_seat(g).len as i32
}

/// `omp_get_partition_place_nums`.
pub fn partition_place_nums() -> std::ops::Range<u32> {
    let g = icv::global();
    if g.places.is_empty() {
        return 0..0;
    }
    let s = current_seat(g);
    s.off..s.off + s.len
}

// ---------------------------------------------------------------------
// The affinity format.

/// affinity-format-var once the program set it (`None`: the
/// environment's).
static FORMAT: RwLock<Option<Vec<u8>>> = RwLock::new(None);

/// `omp_get_affinity_format`.
pub fn affinity_format() -> Vec<u8> {
    match &*FORMAT.read().unwrap_or_else(|e| e.into_inner()) {
        Some(f) => f.clone(),
        None => icv::global().affinity_format.as_bytes().to_vec(),
    }
}

/// `omp_set_affinity_format`.
pub fn set_affinity_format(f: &[u8]) {
    *FORMAT.write().unwrap_or_else(|e| e.into_inner()) = Some(f.to_vec());
}

/// `omp_capture_affinity`: the calling thread's affinity in `format` (the
/// affinity-format-var when `None` or empty).
pub fn capture(format: Option<&[u8]>) -> Vec<u8> {
    let owned;
    let format = match format {
        Some(f) if !f.is_empty() => f,
        _ => {
            owned = affinity_format();
            &owned
        }
    };
    let g = icv::global();
    affinity_fmt::expand(format, &mut |field| match field {
        Field::TeamNum => Value::Int(crate::teams::team_num() as i64),
        Field::NumTeams => Value::Int(crate::teams::num_teams() as i64),
        Field::Level => Value::Int(crate::parallel::level() as i64),
        Field::ThreadNum => Value::Int(crate::parallel::thread_num() as i64),
        Field::NumThreads => Value::Int(crate::parallel::num_threads() as i64),
        Field::Ancestor => {
            Value::Int(crate::parallel::ancestor_thread_num(crate::parallel::level() - 1) as i64)
        }
        Field::Host => Value::Text(crate::sys::topology::hostname()),
        Field::Pid => Value::Int(crate::sys::topology::pid() as i64),
        Field::NativeId => Value::Hex(crate::sys::topology::pthread_handle()),
        Field::Affinity => Value::Text(
            match g.places.is_empty() {
                false => g
                    .places
                    .get(current_seat(g).place as usize)
                    .cloned()
                    .unwrap_or_default(),
                true => topology::thread_cpus(),
            }
            .to_string(),
        ),
    })
}

/// `omp_display_affinity`, and what `OMP_DISPLAY_AFFINITY` prints: one
/// line on stderr.
pub fn display(format: Option<&[u8]>) {
    let line = capture(format);
    crate::sys::write_stderr_line(&String::from_utf8_lossy(&line));
}

fn display_line() {
    display(None);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(c: &[u32]) -> CpuSet {
        c.iter().copied().collect()
    }

    #[test]
    fn a_worker_on_its_primary_threads_cpu_moves_tid_cpus_on() {
        let allowed = set(&[2, 3, 5, 8]);
        assert_eq!(settle_cpu(3, 1, &allowed), Some(5));
        assert_eq!(settle_cpu(3, 2, &allowed), Some(8));
        // Wraps around the allowed CPUs.
        assert_eq!(settle_cpu(8, 1, &allowed), Some(2));
        assert_eq!(settle_cpu(5, 3, &allowed), Some(3));
        // As many threads as CPUs past the primary's: its own CPU, stay.
        assert_eq!(settle_cpu(3, 4, &allowed), None);
        // A CPU outside the mask, or nowhere else to go.
        assert_eq!(settle_cpu(4, 1, &allowed), None);
        assert_eq!(settle_cpu(2, 1, &set(&[2])), None);
    }

    #[test]
    fn settling_moves_the_thread_and_gives_its_mask_back() {
        let mask = crate::sys::topology::thread_affinity().expect("the thread's mask");
        if CpuSet::from_words(mask.clone()).len() < 2 {
            eprintln!("skipped: this thread may run on one CPU only");
            return;
        }
        // The kernel may move a thread between the two looks at its CPU; so
        // the move counts if it is seen in any of a few tries (a fresh thread
        // each, for the rate limit).
        let mut seen = Vec::new();
        for _ in 0..5 {
            let try_once = std::thread::spawn(|| {
                let from = crate::sys::topology::current_cpu();
                if let Some(c) = from {
                    settle_slow(c, 1);
                }
                let to = crate::sys::topology::current_cpu();
                (from, to, crate::sys::topology::thread_affinity())
            });
            let (from, to, after) = try_once.join().unwrap();
            // The thread has its whole mask again: not bound.
            assert_eq!(after.as_deref(), Some(&mask[..]));
            seen.push((from, to));
            if from.is_some() && from != to {
                break;
            }
        }
        let (from, to) = *seen.last().unwrap();
        assert!(
            from.is_some() && from != to,
            "never moved off its CPU: {seen:?}"
        );
    }

    /// 8 CPUs; cores {0,4}, {1,5}, {2,6}, {3,7}; sockets {0-3}, {4-7}.
    fn machine_groups(l: Level, allowed: &CpuSet) -> Vec<CpuSet> {
        let all: Vec<CpuSet> = match l {
            Level::Threads => (0..8).map(|c| set(&[c])).collect(),
            Level::Cores => vec![set(&[0, 4]), set(&[1, 5]), set(&[2, 6]), set(&[3, 7])],
            _ => vec![set(&[0, 1, 2, 3]), set(&[4, 5, 6, 7])],
        };
        all.iter()
            .map(|g| g.intersection(allowed))
            .filter(|g| !g.is_empty())
            .collect()
    }

    fn parse(s: &str) -> Result<String, String> {
        let m = Machine {
            allowed: set(&[0, 1, 2, 3, 4, 5]),
            cpus: 6,
            capacity: 64,
            groups: machine_groups,
            bound_by_libgomp: false,
        };
        parse_places(s, &m).map(|(p, _)| p.to_string())
    }

    // Expected values as GCC 12's libgomp shows them with OMP_DISPLAY_ENV
    // (on a machine with CPUs 0-1; the tests here have 0-5).
    #[test]
    fn explicit_lists() {
        let ok = |s: &str, want: &str| assert_eq!(parse(s).as_deref(), Ok(want), "{s:?}");
        ok("{0},{1}", "{0},{1}");
        ok("{0:2}", "{0:2}");
        ok("{0:2:1}", "{0:2}");
        ok("{1:2:-1}", "{0:2}");
        ok("{1,0}", "{0:2}");
        ok("{0,0}", "{0}");
        ok("{0:2:0}", "{0}");
        ok("{0},{1},{0},{1}", "{0},{1},{0},{1}");
        ok("{0}:2:1", "{0},{1}");
        ok("{1}:2:-1", "{1},{0}");
        ok("{0:2}:2", "{0:2},{1:2}");
        ok("{0}:2:0", "{0},{0}");
        ok("{0},{1},!{0}", "{1}");
        ok("{0:2,!1}", "{0}");
        ok("{ !1 , 0:2 }", "{0}");
        ok("{0,1,!1,1}", "{0}");
        ok("{0:2,! 1}", "{0}");
        ok("{1},{0},{1},!{1}", "{0},{1}");
        ok("{0},{1},!{1},{1}", "{0},{1}");
        ok("{0:2},!{1,0},{3}", "{3}");
        ok("{0:8}", "{0:6}");
        ok("{0:3,4:2}", "{0:3,4:2}");
        ok("0", "{0}");
        ok("1,2", "{1},{2}");
        ok("0:2", "{0},{1}");
        ok("0,1,!1", "{0}");
        ok("{0}, \t{1}", "{0},{1}");
        ok("{+1}", "{1}");
        ok("{01}", "{1}");
        ok("{0}:+2", "{0},{1}");
        ok("{0:2} :2", "{0:2},{1:2}");
    }

    #[test]
    fn refused_lists() {
        for bad in [
            "",
            "{}",
            "{0},",
            "{0}{1}",
            "{0:0}",
            "{-1}",
            "{0}:0",
            "{0}:-1",
            "{0x1}",
            "{0},{1}x",
            "{0},threads",
            "{0:2},!{0:2}",
            "{!0,1}",
            "!{0}",
            "{0},!{1}",
            "{0},{1},!{0:2}",
            "{0},!{0}:2",
            "{0:2}:2:-1",
            "{1}:2:-2",
            "{0::1}",
            "{0:}",
            "{:1}",
            "{0:2:}",
            "{0}:2:",
            "{0}:",
            "!",
            "{0,1,!1,!1}",
            "{0,!!1}",
            "{0:2,!0:2}",
            "{0,1,!0:2}",
            "{0,!0}",
            "{64}",
            "{0:99999999999}",
            "{4294967296}",
            "{0,}",
            "{,0}",
            "{0 1}",
            "{6}",
            "{1:3:-1}",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} -> {:?}", parse(bad));
        }
    }

    #[test]
    fn abstract_names() {
        let ok = |s: &str, want: &str| assert_eq!(parse(s).as_deref(), Ok(want), "{s:?}");
        ok("threads", "{0},{1},{2},{3},{4},{5}");
        ok(" THREADS ( 2 ) ", "{0},{1}");
        ok("threads(99)", "{0},{1},{2},{3},{4},{5}");
        ok("cores", "{0,4},{1,5},{2},{3}");
        ok("cores(1)", "{0,4}");
        ok("sockets", "{0:4},{4:2}");
        ok("ll_caches", "{0:4},{4:2}");
        ok("numa_domains(1)", "{0:4}");
        for bad in [
            "threads()",
            "threads(0)",
            "bogus",
            "threads,cores",
            "threads(2",
            "cores x",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn places_cut_to_the_mask_say_so() {
        let m = Machine {
            allowed: set(&[0, 1]),
            cpus: 2,
            capacity: 64,
            groups: machine_groups,
            bound_by_libgomp: false,
        };
        let (p, notice) = parse_places("{0}:4", &m).unwrap();
        assert_eq!(p.to_string(), "{0},{1}");
        assert!(notice.unwrap().contains("from 4 to 2"));
        assert!(parse_places("{5}", &m).is_err());
    }

    #[test]
    fn gomp_cpu_affinity() {
        let p = |s: &str| parse_cpu_affinity(s, 64).map(|p| p.to_string());
        assert_eq!(
            p("0 3 1-2 4-15:4").as_deref(),
            Some("{0},{3},{1},{2},{4},{8},{12}")
        );
        assert_eq!(p("1 , 0").as_deref(), Some("{1},{0}"));
        assert_eq!(p(" 0\t1 ").as_deref(), Some("{0},{1}"));
        assert_eq!(p("0 64 1").as_deref(), Some("{0},{1}"));
        assert_eq!(p("63-1000").as_deref(), Some("{63}"));
        assert_eq!(p("1000").as_deref(), Some(""));
        assert_eq!(p("1 1 0").as_deref(), Some("{1},{1},{0}"));
        for bad in [
            "", "x", "1-0", "0-1:0", "0:2", "0-", "-1", "0,,1", "1,", ",1", "1 - 2",
        ] {
            assert_eq!(p(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn env_rules() {
        let m = Machine {
            allowed: set(&[0, 1]),
            cpus: 2,
            capacity: 64,
            groups: |l, _| match l {
                Level::Threads => vec![set(&[0]), set(&[1])],
                _ => vec![set(&[0, 1])],
            },
            bound_by_libgomp: false,
        };
        let run = |bind: Option<&[ProcBind]>, places: Option<&str>, aff: Option<&str>| {
            let (p, w, listed) = places_from_env(
                &EnvAffinity {
                    bind,
                    places,
                    cpu_affinity: aff,
                },
                &m,
            );
            (p.to_string(), w.len(), listed)
        };
        assert_eq!(run(None, None, None), (String::new(), 0, false));
        assert_eq!(
            run(Some(&[ProcBind::True]), None, None),
            ("{0},{1}".into(), 0, false)
        );
        assert_eq!(run(None, Some("{1}"), None), ("{1}".into(), 0, true));
        assert_eq!(
            run(Some(&[ProcBind::False]), Some("{1}"), None),
            (String::new(), 0, false)
        );
        assert_eq!(
            run(Some(&[ProcBind::False]), Some("bad"), None),
            (String::new(), 1, false)
        );
        assert_eq!(run(None, Some("{1}"), Some("0 1")), ("{1}".into(), 0, true));
        assert_eq!(run(None, Some("bogus"), Some("1")), ("{1}".into(), 1, true));
        assert_eq!(
            run(None, Some("{0},{1}"), Some("x")),
            ("{0},{1}".into(), 1, true)
        );
        assert_eq!(
            run(Some(&[ProcBind::Spread]), None, Some("1 0")),
            ("{1},{0}".into(), 0, true)
        );
    }

    fn seats(policy: Policy, n: u32, primary: Seat) -> Vec<(u32, u32, u32)> {
        (0..n)
            .map(|t| {
                let s = seat(policy, n, primary, t);
                (s.place, s.off, s.len)
            })
            .collect()
    }

    const fn at(place: u32, off: u32, len: u32) -> Seat {
        Seat { place, off, len }
    }

    // Expected seats as libgomp assigns them (observed with 7 places).
    #[test]
    fn spread() {
        assert_eq!(
            seats(Policy::Spread, 3, at(0, 0, 7)),
            vec![(0, 0, 3), (3, 3, 2), (5, 5, 2)]
        );
        assert_eq!(
            seats(Policy::Spread, 3, at(6, 0, 7)),
            vec![(6, 5, 2), (0, 0, 3), (3, 3, 2)]
        );
        assert_eq!(
            seats(Policy::Spread, 3, at(1, 0, 7)),
            vec![(1, 0, 3), (3, 3, 2), (5, 5, 2)]
        );
        assert_eq!(
            seats(Policy::Spread, 2, at(4, 4, 3)),
            vec![(4, 4, 2), (6, 6, 1)]
        );
        let eight: Vec<u32> = seats(Policy::Spread, 8, at(0, 0, 7))
            .iter()
            .map(|s| s.0)
            .collect();
        assert_eq!(eight, vec![0, 1, 2, 3, 4, 5, 6, 0]);
        assert_eq!(
            seats(Policy::Spread, 3, at(3, 3, 2)),
            vec![(3, 3, 1), (4, 4, 1), (3, 3, 1)]
        );
        assert_eq!(
            seats(Policy::Spread, 2, at(6, 6, 1)),
            vec![(6, 6, 1), (6, 6, 1)]
        );
    }

    #[test]
    fn close_and_primary() {
        let places = |p, n, s| -> Vec<u32> { seats(p, n, s).iter().map(|s| s.0).collect() };
        assert_eq!(places(Policy::Close, 5, at(0, 0, 7)), vec![0, 1, 2, 3, 4]);
        assert_eq!(
            places(Policy::Close, 9, at(5, 0, 7)),
            vec![5, 6, 0, 1, 2, 3, 4, 5, 6]
        );
        assert_eq!(places(Policy::Close, 5, at(1, 0, 2)), vec![1, 1, 0, 0, 1]);
        assert_eq!(places(Policy::Close, 3, at(0, 0, 2)), vec![0, 1, 0]);
        assert!(seats(Policy::Close, 5, at(1, 0, 2))
            .iter()
            .all(|s| (s.1, s.2) == (0, 2)));
        assert_eq!(seats(Policy::Primary, 3, at(5, 0, 7)), vec![(5, 0, 7); 3]);
    }

    #[test]
    fn policies() {
        use ProcBind::*;
        assert_eq!(Policy::resolve(False, 4), None);
        assert_eq!(Policy::resolve(True, 0), Some(Policy::Close));
        assert_eq!(Policy::resolve(True, 4), Some(Policy::Spread));
        assert_eq!(Policy::resolve(Spread, 2), Some(Policy::Primary));
        assert_eq!(Policy::resolve(Spread, 0), Some(Policy::Spread));
    }
}
