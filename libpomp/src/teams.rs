//! Host `teams` (libgomp's teams.c, and the teams entry points of its
//! target.c): without an offload device a league runs one team after
//! another on the encountering thread, as libgomp does, each team's initial
//! thread seeing its own team number.
//!
//! The team number and the league size travel in the task ICVs
//! ([`crate::icv::TaskIcv::team_num`]), so a parallel region nested in a
//! team, and the tasks of that region, report the team they belong to, as
//! libgomp's threads do (it copies them into each new team thread).

use crate::icv::{self, TaskIcv};
use crate::team::Job;
use crate::thread;

/// The league size of a host `teams` construct with no `num_teams` clause
/// when nteams-var is 0 (libgomp 12 picks 3).
const DEFAULT_TEAMS: u32 = 3;

/// A `thread_limit` value as thread-limit-var: above `INT_MAX` is no limit.
fn as_limit(v: u32) -> u32 {
    if v > i32::MAX as u32 {
        u32::MAX
    } else {
        v
    }
}

/// `GOMP_teams_reg`: a `teams` construct on the host. `num_teams` and
/// `thread_limit` are the clauses (0 when absent: nteams-var and
/// teams-thread-limit-var decide). Each team runs `job` in turn; the
/// thread-limit-var it sets is restored afterwards, while other ICV changes
/// the body makes stay, as in libgomp.
///
/// # Safety
/// As for [`Job::run`].
pub unsafe fn run(job: Job, num_teams: u32, thread_limit: u32) {
    let thr = thread::current();
    let n = match num_teams {
        0 => match icv::max_teams() {
            m if m > 0 => m as u32,
            _ => DEFAULT_TEAMS,
        },
        n => n,
    };
    let limit = match thread_limit {
        0 => icv::teams_thread_limit().max(0) as u32,
        l => l,
    };
    let before = thr.icv.get();
    for t in 0..n {
        let mut icv = thr.icv.get();
        icv.team_num = t;
        icv.num_teams = n;
        if limit != 0 {
            icv.thread_limit = as_limit(limit);
        }
        thr.set_icv(icv);
        // SAFETY: forwarded to the caller.
        unsafe { job.run() };
    }
    let mut icv = thr.icv.get();
    leave(&mut icv, &before, limit != 0);
    thr.set_icv(icv);
}

/// Puts back what a league changed.
fn leave(icv: &mut TaskIcv, before: &TaskIcv, limited: bool) {
    icv.team_num = before.team_num;
    icv.num_teams = before.num_teams;
    if limited {
        icv.thread_limit = before.thread_limit;
    }
}

/// `GOMP_teams4`, which GCC calls in a loop inside a target region:
/// `first` starts the league (of `num_teams_low` teams, at least one; the
/// upper bound is a maximum the host need not reach) and returns true; each
/// later call moves to the next team and returns false when there is none.
/// The league state stays until the target region ends.
pub fn teams4(num_teams_low: u32, _num_teams_high: u32, thread_limit: u32, first: bool) -> bool {
    let thr = thread::current();
    let mut icv = thr.icv.get();
    if first {
        if thread_limit != 0 {
            icv.thread_limit = as_limit(thread_limit);
        }
        icv.num_teams = num_teams_low.max(1);
        icv.team_num = 0;
    } else if icv.team_num + 1 >= icv.num_teams {
        return false;
    } else {
        icv.team_num += 1;
    }
    thr.set_icv(icv);
    true
}

/// `GOMP_teams` (GCC before 12, inside a target region): one team; only the
/// thread limit matters.
pub fn teams(_num_teams: u32, thread_limit: u32) {
    if thread_limit != 0 {
        let thr = thread::current();
        let mut icv = thr.icv.get();
        icv.thread_limit = as_limit(thread_limit);
        thr.set_icv(icv);
    }
}

/// `omp_get_num_teams`.
pub fn num_teams() -> i32 {
    thread::current().icv.get().num_teams.min(i32::MAX as u32) as i32
}

/// `omp_get_team_num`.
pub fn team_num() -> i32 {
    thread::current().icv.get().team_num.min(i32::MAX as u32) as i32
}
