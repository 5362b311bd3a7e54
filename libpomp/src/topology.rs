//! The machine's processors and how they group: what the abstract names of
//! `OMP_PLACES` (`threads`, `cores`, `ll_caches`, `numa_domains`,
//! `sockets`) stand for.
//!
//! This module is the one place that chooses where the topology comes
//! from: hwloc, through the `hwlocality` crate, when the `hwloc` cargo
//! feature is on and hwloc loads; otherwise (or if hwloc fails) the kernel's
//! own description in sysfs, read by [`crate::sys::topology`]. Either way,
//! only CPUs in the process's affinity mask count, as in libgomp: a group is
//! cut down to its CPUs in the mask, groups left empty disappear, and the
//! groups are ordered by their lowest CPU.

use std::fmt;

/// A set of CPU numbers, as a bit mask: CPU `c` is bit `c % 64` of word
/// `c / 64` (the layout [`crate::sys::topology`] passes to the kernel).
/// Kept without trailing zero words, so that equal sets compare equal.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct CpuSet {
    words: Vec<u64>,
}

impl CpuSet {
    pub fn new() -> CpuSet {
        CpuSet::default()
    }

    /// The set whose mask is `words`.
    pub fn from_words(words: Vec<u64>) -> CpuSet {
        let mut s = CpuSet { words };
        s.trim();
        s
    }

    /// The mask, as the kernel takes it.
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    fn trim(&mut self) {
        while self.words.last() == Some(&0) {
            self.words.pop();
        }
    }

    pub fn insert(&mut self, cpu: u32) {
        let (w, b) = ((cpu / 64) as usize, cpu % 64);
        if self.words.len() <= w {
            self.words.resize(w + 1, 0);
        }
        self.words[w] |= 1 << b;
    }

    /// Removes `cpu`; returns whether it was there.
    pub fn remove(&mut self, cpu: u32) -> bool {
        let had = self.contains(cpu);
        if had {
            self.words[(cpu / 64) as usize] &= !(1 << (cpu % 64));
            self.trim();
        }
        had
    }

    pub fn contains(&self, cpu: u32) -> bool {
        self.words
            .get((cpu / 64) as usize)
            .is_some_and(|w| w & (1 << (cpu % 64)) != 0)
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// How many CPUs.
    pub fn len(&self) -> u32 {
        self.words.iter().map(|w| w.count_ones()).sum()
    }

    /// The CPUs in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let b = w.trailing_zeros();
                w &= w - 1;
                Some(i as u32 * 64 + b)
            })
        })
    }

    pub fn first(&self) -> Option<u32> {
        self.iter().next()
    }

    pub fn intersection(&self, other: &CpuSet) -> CpuSet {
        CpuSet::from_words(
            self.words
                .iter()
                .zip(&other.words)
                .map(|(a, b)| a & b)
                .collect(),
        )
    }

    pub fn union_with(&mut self, other: &CpuSet) {
        if self.words.len() < other.words.len() {
            self.words.resize(other.words.len(), 0);
        }
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// Runs of consecutive CPUs, as `(first, count)`.
    pub fn runs(&self) -> Vec<(u32, u32)> {
        let mut out: Vec<(u32, u32)> = Vec::new();
        for c in self.iter() {
            match out.last_mut() {
                Some((first, n)) if *first + *n == c => *n += 1,
                _ => out.push((c, 1)),
            }
        }
        out
    }
}

impl FromIterator<u32> for CpuSet {
    fn from_iter<I: IntoIterator<Item = u32>>(iter: I) -> CpuSet {
        let mut s = CpuSet::new();
        for c in iter {
            s.insert(c);
        }
        s
    }
}

/// `0-3,6`: the kernel's CPU list notation (which `%A` of the affinity
/// format also uses).
impl fmt::Display for CpuSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (first, n)) in self.runs().into_iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            if n == 1 {
                write!(f, "{first}")?;
            } else {
                write!(f, "{first}-{}", first + n - 1)?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for CpuSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{self}}}")
    }
}

/// The CPUs the calling thread may run on (all online CPUs if the kernel
/// will not say).
pub fn thread_cpus() -> CpuSet {
    match crate::sys::topology::thread_affinity() {
        Some(w) => CpuSet::from_words(w),
        None => crate::sys::topology::online_cpus().into_iter().collect(),
    }
}

/// The groupings `OMP_PLACES` can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Each hardware thread.
    Threads,
    /// The hardware threads of each core.
    Cores,
    /// The CPUs sharing each last-level cache.
    LlCaches,
    /// The CPUs of each NUMA node.
    NumaDomains,
    /// The CPUs of each package.
    Sockets,
}

impl Level {
    /// The `OMP_PLACES` name (any case).
    pub fn from_name(s: &str) -> Option<Level> {
        Some(match s.to_ascii_lowercase().as_str() {
            "threads" => Level::Threads,
            "cores" => Level::Cores,
            "ll_caches" => Level::LlCaches,
            "numa_domains" => Level::NumaDomains,
            "sockets" => Level::Sockets,
            _ => return None,
        })
    }
}

/// The groups of `allowed`'s CPUs at `level`: each non-empty, ordered by
/// its lowest CPU, together covering `allowed` (a CPU the topology says
/// nothing about is a group of its own).
pub fn groups(level: Level, allowed: &CpuSet) -> Vec<CpuSet> {
    if level == Level::Threads {
        return allowed
            .iter()
            .map(|c| std::iter::once(c).collect())
            .collect();
    }
    let sets = backend::sets(level).unwrap_or_else(|| sysfs::sets(level));
    group_by(allowed, |cpu| {
        sets.iter().find(|s| s.contains(cpu)).cloned()
    })
}

/// Scans `allowed` in increasing order; each CPU not yet in a group starts
/// one: the CPUs `siblings` puts with it that are allowed.
fn group_by(allowed: &CpuSet, siblings: impl Fn(u32) -> Option<CpuSet>) -> Vec<CpuSet> {
    let mut covered = CpuSet::new();
    let mut out = Vec::new();
    for cpu in allowed.iter() {
        if covered.contains(cpu) {
            continue;
        }
        let mut g = siblings(cpu)
            .map(|s| s.intersection(allowed))
            .unwrap_or_default();
        g.insert(cpu);
        covered.union_with(&g);
        out.push(g);
    }
    out
}

/// The kernel's view, from sysfs.
mod sysfs {
    use super::{CpuSet, Level};
    use crate::sys::topology::{self as sys, Siblings};

    /// The groups at `level` of the online CPUs (possibly overlapping or
    /// incomplete if sysfs is; [`super::group_by`] copes).
    pub(super) fn sets(level: Level) -> Vec<CpuSet> {
        let what = match level {
            Level::Threads => return Vec::new(),
            Level::Cores => Siblings::Core,
            Level::Sockets => Siblings::Package,
            Level::LlCaches => Siblings::LastLevelCache,
            Level::NumaDomains => {
                return sys::numa_nodes()
                    .into_iter()
                    .map(|n| n.into_iter().collect())
                    .collect();
            }
        };
        let mut out: Vec<CpuSet> = Vec::new();
        for cpu in sys::online_cpus() {
            if out.iter().any(|s| s.contains(cpu)) {
                continue;
            }
            if let Some(list) = sys::cpu_siblings(cpu, what) {
                let mut s: CpuSet = list.into_iter().collect();
                s.insert(cpu);
                out.push(s);
            }
        }
        out
    }
}

/// hwloc's view.
#[cfg(feature = "hwloc")]
mod backend {
    use hwlocality::object::types::ObjectType;
    use hwlocality::Topology;

    use super::{CpuSet, Level};

    /// The cpusets of hwloc's objects at `level`, or `None` if hwloc
    /// cannot load the topology or has no such objects.
    pub(super) fn sets(level: Level) -> Option<Vec<CpuSet>> {
        // hwloc's x86 component discovers caches by running CPUID on each
        // CPU in turn, migrating the calling thread: not something a
        // runtime may do behind its program's back. The Linux component
        // reads the same facts from sysfs.
        let topo = Topology::builder()
            .without_component("x86")
            .ok()?
            .build()
            .ok()?;
        let types: &[ObjectType] = match level {
            Level::Threads => &[ObjectType::PU],
            Level::Cores => &[ObjectType::Core],
            Level::Sockets => &[ObjectType::Package],
            Level::NumaDomains => &[ObjectType::NUMANode],
            // The outermost level of data (or unified) cache present.
            Level::LlCaches => &[
                ObjectType::L5Cache,
                ObjectType::L4Cache,
                ObjectType::L3Cache,
                ObjectType::L2Cache,
                ObjectType::L1Cache,
            ],
        };
        types.iter().find_map(|&ty| {
            let sets: Vec<CpuSet> = topo
                .objects_with_type(ty)
                .filter_map(|o| o.cpuset())
                .map(|cs| cs.iter_set().map(|i| usize::from(i) as u32).collect())
                .filter(|s: &CpuSet| !s.is_empty())
                .collect();
            (!sets.is_empty()).then_some(sets)
        })
    }
}

/// Without hwloc: always sysfs.
#[cfg(not(feature = "hwloc"))]
mod backend {
    use super::{CpuSet, Level};

    pub(super) fn sets(_: Level) -> Option<Vec<CpuSet>> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(c: &[u32]) -> CpuSet {
        c.iter().copied().collect()
    }

    #[test]
    fn sets_and_runs() {
        let mut s = set(&[0, 1, 2, 5, 64, 65]);
        assert_eq!(s.len(), 6);
        assert_eq!(s.to_string(), "0-2,5,64-65");
        assert_eq!(s.runs(), vec![(0, 3), (5, 1), (64, 2)]);
        assert!(s.remove(64) && s.remove(65) && !s.remove(65));
        assert_eq!(s, set(&[0, 1, 2, 5]), "trailing words trimmed");
        assert_eq!(s.intersection(&set(&[1, 5, 9])), set(&[1, 5]));
        assert!(CpuSet::new().is_empty());
    }

    #[test]
    fn grouping_follows_the_mask() {
        // Two 2-thread cores and a core whose siblings sysfs forgot.
        let cores = [set(&[0, 4]), set(&[1, 5])];
        let sib = |c: u32| cores.iter().find(|s| s.contains(c)).cloned();
        let g = group_by(&set(&[0, 1, 4, 6]), sib);
        assert_eq!(g, vec![set(&[0, 4]), set(&[1]), set(&[6])]);
    }

    /// hwloc reads the kernel's description too: both views agree.
    #[cfg(feature = "hwloc")]
    #[test]
    fn hwloc_agrees_with_sysfs() {
        let all = thread_cpus();
        for l in [
            Level::Cores,
            Level::LlCaches,
            Level::NumaDomains,
            Level::Sockets,
        ] {
            let hw = backend::sets(l).expect("hwloc loads the topology");
            let fs = sysfs::sets(l);
            let by = |sets: &Vec<CpuSet>| {
                group_by(&all, |c| sets.iter().find(|s| s.contains(c)).cloned())
            };
            assert_eq!(by(&hw), by(&fs), "{l:?}");
        }
    }

    #[test]
    fn this_machine_has_groups_at_every_level() {
        let all = thread_cpus();
        for l in [
            Level::Threads,
            Level::Cores,
            Level::LlCaches,
            Level::NumaDomains,
            Level::Sockets,
        ] {
            let g = groups(l, &all);
            assert!(!g.is_empty(), "{l:?}");
            let mut u = CpuSet::new();
            for s in &g {
                u.union_with(s);
            }
            assert_eq!(u, all, "{l:?} covers the mask");
        }
    }
}
