//! teams.c and the teams entry points of target.c: host `teams` leagues
//! (see pomp's `teams` module). GOMP_4.0: `GOMP_teams`. GOMP_5.0:
//! `GOMP_teams_reg`. GOMP_5.1: `GOMP_teams4`. `omp_get_num_teams` and
//! `omp_get_team_num` are in icv.rs.

use std::ffi::{c_uint, c_void};

use rt::team::Job;
use rt::teams;

/// A host `teams` construct: `fn(data)` once per team, in turn. `flags` is
/// reserved (GCC 12 passes 0).
///
/// # Safety
/// `func` and `data` must be GCC's outlined body and its argument.
#[no_mangle]
pub unsafe extern "C" fn GOMP_teams_reg(
    func: unsafe extern "C" fn(*mut c_void),
    data: *mut c_void,
    num_teams: c_uint,
    thread_limit: c_uint,
    _flags: c_uint,
) {
    // SAFETY: forwarded to the caller.
    unsafe { teams::run(Job { func, data }, num_teams, thread_limit) };
}

/// The league loop inside a target region: true while there is a team to
/// run.
#[no_mangle]
pub extern "C" fn GOMP_teams4(
    num_teams_low: c_uint,
    num_teams_high: c_uint,
    thread_limit: c_uint,
    first: bool,
) -> bool {
    teams::teams4(num_teams_low, num_teams_high, thread_limit, first)
}

#[no_mangle]
pub extern "C" fn GOMP_teams(num_teams: c_uint, thread_limit: c_uint) {
    teams::teams(num_teams, thread_limit);
}
