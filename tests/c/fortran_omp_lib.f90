! Checks the Fortran omp_lib module routines: omp_get_thread_num/omp_get_num_threads in a region (each number once), omp_set_num_threads and omp_get_max_threads, omp_in_parallel, omp_get_level/omp_get_active_level, omp_set_schedule/omp_get_schedule with omp_sched_kind, omp_set_dynamic/omp_get_dynamic, omp_set_max_active_levels with a nested region and omp_get_ancestor_thread_num/omp_get_team_size, and omp_get_wtime/omp_get_wtick.
! GOMP entry points: GOMP_parallel, GOMP_barrier, GOMP_single_start, GOMP_critical_start, GOMP_critical_end (plus the Fortran omp_*_ wrappers: omp_set_num_threads_, omp_get_max_threads_, omp_set_schedule_, omp_get_schedule_, omp_get_team_size_, ...).
program fortran_omp_lib
  use omp_lib
  implicit none
  integer, parameter :: maxt = 64
  integer :: nfail, want, nthr, t, n, chunk, inner_bad, outer_id
  integer :: seen(0:maxt - 1)
  integer(kind=omp_sched_kind) :: kind
  real(8) :: t0, t1

  nfail = 0
  call chk(omp_get_thread_num(), 0, 'thread number outside')
  call chk(omp_get_num_threads(), 1, 'team size outside')
  call chkl(omp_in_parallel(), .false., 'omp_in_parallel outside')
  call chk(omp_get_level(), 0, 'level outside')

  want = omp_get_max_threads()
  if (want < 1 .or. want > maxt) then
    print '(a, i0)', 'FAIL: omp_get_max_threads out of range: ', want
    stop 1
  end if

  seen = 0
  nthr = -1
  !$omp parallel shared(seen, nthr)
  !$omp critical
  seen(omp_get_thread_num()) = seen(omp_get_thread_num()) + 1
  !$omp end critical
  !$omp master
  nthr = omp_get_num_threads()
  !$omp end master
  !$omp end parallel
  call chk(nthr, want, 'default team size')
  do t = 0, maxt - 1
    call chk(seen(t), merge(1, 0, t < want), 'thread number seen')
  end do

  do n = 1, 5
    call omp_set_num_threads(n)
    call chk(omp_get_max_threads(), n, 'omp_get_max_threads after omp_set_num_threads')
    nthr = -1
    !$omp parallel shared(nthr)
    !$omp single
    nthr = omp_get_num_threads()
    !$omp end single
    if (omp_get_level() /= 1) then
      !$omp atomic
      nfail = nfail + 1
    end if
    !$omp end parallel
    call chk(nthr, n, 'team size after omp_set_num_threads')
  end do

  call omp_set_num_threads(2)
  !$omp parallel
  !$omp master
  call chkl(omp_in_parallel(), .true., 'omp_in_parallel in a team of 2')
  call chk(omp_get_active_level(), 1, 'active level in a team of 2')
  !$omp end master
  !$omp end parallel

  call omp_set_schedule(omp_sched_guided, 6)
  call omp_get_schedule(kind, chunk)
  call chk(int(kind), int(omp_sched_guided), 'schedule kind')
  call chk(chunk, 6, 'schedule chunk')
  call omp_set_schedule(omp_sched_static, 0)
  call omp_get_schedule(kind, chunk)
  call chk(int(kind), int(omp_sched_static), 'schedule kind static')
  call chk(chunk, 0, 'schedule chunk static,0')

  call omp_set_dynamic(.true.)
  call chkl(omp_get_dynamic(), .true., 'omp_get_dynamic after .true.')
  call omp_set_dynamic(.false.)
  call chkl(omp_get_dynamic(), .false., 'omp_get_dynamic after .false.')

  call omp_set_max_active_levels(2)
  call chk(omp_get_max_active_levels(), 2, 'omp_get_max_active_levels')
  inner_bad = 0
  !$omp parallel num_threads(2) private(outer_id) reduction(+:inner_bad)
  outer_id = omp_get_thread_num()
  !$omp parallel num_threads(3) reduction(+:inner_bad)
  if (omp_get_num_threads() /= 3) inner_bad = inner_bad + 1
  if (omp_get_level() /= 2) inner_bad = inner_bad + 1
  if (omp_get_ancestor_thread_num(1) /= outer_id) inner_bad = inner_bad + 1
  if (omp_get_team_size(1) /= 2) inner_bad = inner_bad + 1
  if (omp_get_team_size(2) /= 3) inner_bad = inner_bad + 1
  if (omp_get_ancestor_thread_num(3) /= -1) inner_bad = inner_bad + 1
  !$omp end parallel
  !$omp end parallel
  call chk(inner_bad, 0, 'nested level queries that were wrong')

  call chkl(omp_get_wtick() > 0.0d0, .true., 'omp_get_wtick positive')
  t0 = omp_get_wtime()
  t1 = omp_get_wtime()
  call chkl(t1 >= t0, .true., 'omp_get_wtime does not go backwards')

  if (nfail > 0) stop 1

contains

  subroutine chk(got, want, what)
    integer, intent(in) :: got, want
    character(*), intent(in) :: what
    if (got /= want) then
      nfail = nfail + 1
      print '(a, a, a, i0, a, i0, a)', 'FAIL: ', what, ' (got ', got, ', want ', want, ')'
    end if
  end subroutine chk

  subroutine chkl(got, want, what)
    logical, intent(in) :: got, want
    character(*), intent(in) :: what
    if (got .neqv. want) then
      nfail = nfail + 1
      print '(a, a, a, l1, a, l1, a)', 'FAIL: ', what, ' (got ', got, ', want ', want, ')'
    end if
  end subroutine chkl

end program fortran_omp_lib
