! Checks Fortran synchronization and worksharing: omp_lock_kind locks (init/set/unset/test/destroy) protecting a shared counter, omp_nest_lock_kind nestable locks with nesting counts from omp_test_nest_lock, workshare on array assignments and a sum, single with copyprivate, named critical, atomic update, and sections each run once.
! GOMP entry points: GOMP_parallel, GOMP_parallel_sections, GOMP_sections_next, GOMP_sections_end, GOMP_barrier, GOMP_single_start, GOMP_single_copy_start, GOMP_single_copy_end, GOMP_critical_name_start, GOMP_critical_name_end (plus the omp_*_lock_ and omp_*_nest_lock_ wrappers).
program fortran_locks_workshare
  use omp_lib
  implicit none
  integer, parameter :: n = 1000
  integer(kind=omp_lock_kind) :: lck
  integer(kind=omp_nest_lock_kind) :: nlck
  integer :: nfail, counter, nthr, i, depth_bad, atomic_sum, crit_sum, bval, bcast_bad
  integer :: test_ok, sec_hits(4)
  real(8) :: a(n), b(n), c(n), s

  nfail = 0

  ! Plain lock guarding a counter.
  call omp_init_lock(lck)
  counter = 0
  nthr = 0
  !$omp parallel shared(counter, nthr, lck) private(i)
  !$omp master
  nthr = omp_get_num_threads()
  !$omp end master
  do i = 1, 200
    call omp_set_lock(lck)
    counter = counter + 1
    call omp_unset_lock(lck)
  end do
  !$omp end parallel
  call chk(counter, 200 * nthr, 'lock-protected counter')

  ! omp_test_lock on an unlocked lock succeeds; on a held lock fails.
  test_ok = 0
  if (omp_test_lock(lck)) then
    test_ok = test_ok + 1
    !$omp parallel num_threads(2) shared(test_ok)
    if (omp_get_thread_num() == 1) then
      if (.not. omp_test_lock(lck)) then
        !$omp atomic
        test_ok = test_ok + 10
      end if
    end if
    !$omp end parallel
    call omp_unset_lock(lck)
  end if
  call chk(test_ok, 11, 'omp_test_lock results')
  call omp_destroy_lock(lck)

  ! Nestable lock: the owner can take it again; test returns the depth.
  call omp_init_nest_lock(nlck)
  depth_bad = 0
  counter = 0
  !$omp parallel shared(nlck, counter) reduction(+:depth_bad)
  call omp_set_nest_lock(nlck)
  if (omp_test_nest_lock(nlck) /= 2) depth_bad = depth_bad + 1
  call omp_set_nest_lock(nlck)
  counter = counter + 1
  call omp_unset_nest_lock(nlck)
  call omp_unset_nest_lock(nlck)
  call omp_unset_nest_lock(nlck)
  !$omp end parallel
  call chk(depth_bad, 0, 'nest lock depths that were not 2')
  call chk(counter, nthr, 'nest-lock-protected counter')
  call omp_destroy_nest_lock(nlck)

  ! Workshare on array assignments and a reduction intrinsic.
  do i = 1, n
    b(i) = i
    c(i) = 2 * i
  end do
  s = 0.0d0
  !$omp parallel shared(a, b, c, s)
  !$omp workshare
  a = b + c
  a = a * 2.0d0
  s = sum(a)
  !$omp end workshare
  !$omp end parallel
  do i = 1, n
    if (a(i) /= 6.0d0 * i) then
      call chk(int(a(i)), 6 * i, 'workshare element')
      exit
    end if
  end do
  call chkl(s == 3.0d0 * n * (n + 1), .true., 'workshare sum')

  ! Single with copyprivate, named critical, atomic.
  atomic_sum = 0
  crit_sum = 0
  bcast_bad = 0
  !$omp parallel private(bval) shared(atomic_sum, crit_sum) reduction(+:bcast_bad)
  !$omp single
  bval = 12345
  !$omp end single copyprivate(bval)
  if (bval /= 12345) bcast_bad = bcast_bad + 1
  !$omp critical (accum)
  crit_sum = crit_sum + omp_get_thread_num() + 1
  !$omp end critical (accum)
  !$omp atomic
  atomic_sum = atomic_sum + 2
  !$omp end parallel
  call chk(bcast_bad, 0, 'threads missing the copyprivate value')
  call chk(crit_sum, nthr * (nthr + 1) / 2, 'named critical sum')
  call chk(atomic_sum, 2 * nthr, 'atomic sum')

  ! Sections.
  sec_hits = 0
  !$omp parallel shared(sec_hits)
  !$omp sections
  !$omp section
  sec_hits(1) = sec_hits(1) + 1
  !$omp section
  sec_hits(2) = sec_hits(2) + 1
  !$omp section
  sec_hits(3) = sec_hits(3) + 1
  !$omp section
  sec_hits(4) = sec_hits(4) + 1
  !$omp end sections
  !$omp end parallel
  do i = 1, 4
    call chk(sec_hits(i), 1, 'section executions')
  end do

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

end program fortran_locks_workshare
