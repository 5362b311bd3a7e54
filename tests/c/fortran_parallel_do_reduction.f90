! Checks Fortran parallel do with reductions (+ on integer and real(8), *, max, min, .and., .or., ieor, and a whole-array +) under dynamic, static and guided schedules, on a combined parallel do and on a do inside a parallel region, against sequential results.
! GOMP entry points: GOMP_parallel, GOMP_loop_nonmonotonic_dynamic_start/_next, GOMP_loop_nonmonotonic_guided_start/_next, GOMP_loop_end_nowait, GOMP_barrier, GOMP_atomic_start, GOMP_atomic_end.
program fortran_parallel_do_reduction
  use omp_lib
  implicit none
  integer, parameter :: n = 4000
  integer :: i, nfail, isum, imax, imin, ixor, rxor, k
  integer(8) :: prod
  real(8) :: dsum, rdsum
  logical :: all_pos, any_big
  integer :: hist(8), rhist(8)

  nfail = 0

  isum = 7
  dsum = 0.5d0
  imax = -huge(1)
  imin = huge(1)
  prod = 1_8
  all_pos = .true.
  any_big = .false.
  ixor = 0
  !$omp parallel do reduction(+:isum, dsum) reduction(max:imax) reduction(min:imin) &
  !$omp& reduction(*:prod) reduction(.and.:all_pos) reduction(.or.:any_big) reduction(ieor:ixor) &
  !$omp& schedule(dynamic, 13)
  do i = 1, n
    isum = isum + i
    dsum = dsum + 0.25d0 * i
    imax = max(imax, mod(i * 7919, 1009))
    imin = min(imin, mod(i * 7919, 1009) - 500)
    if (mod(i, 1000) == 1) prod = prod * 3_8
    all_pos = all_pos .and. (i > 0)
    any_big = any_big .or. (i == n)
    ixor = ieor(ixor, i * 17)
  end do
  !$omp end parallel do

  rdsum = 0.5d0
  rxor = 0
  do i = 1, n
    rdsum = rdsum + 0.25d0 * i
    rxor = ieor(rxor, i * 17)
  end do
  call chk(isum, 7 + n * (n + 1) / 2, 'integer + reduction')
  call chk(merge(1, 0, dsum == rdsum), 1, 'real(8) + reduction')
  call chk(imax, maxval([(mod(k * 7919, 1009), k = 1, n)]), 'max reduction')
  call chk(imin, minval([(mod(k * 7919, 1009) - 500, k = 1, n)]), 'min reduction')
  call chk(int(prod), 81, '* reduction')
  call chk(merge(1, 0, all_pos), 1, '.and. reduction')
  call chk(merge(1, 0, any_big), 1, '.or. reduction')
  call chk(ixor, rxor, 'ieor reduction')

  ! Whole-array reduction on a do inside a parallel region, static schedule.
  hist = 0
  rhist = 0
  !$omp parallel
  !$omp do reduction(+:hist) schedule(static)
  do i = 1, n
    hist(mod(i * 5, 8) + 1) = hist(mod(i * 5, 8) + 1) + 1
  end do
  !$omp end do
  !$omp end parallel
  do i = 1, n
    rhist(mod(i * 5, 8) + 1) = rhist(mod(i * 5, 8) + 1) + 1
  end do
  do k = 1, 8
    call chk(hist(k), rhist(k), 'array reduction bin')
  end do

  ! Guided schedule, decreasing loop with a stride.
  isum = 0
  !$omp parallel do reduction(+:isum) schedule(guided, 3)
  do i = n, 1, -3
    isum = isum + i
  end do
  !$omp end parallel do
  k = 0
  do i = n, 1, -3
    k = k + i
  end do
  call chk(isum, k, 'guided decreasing loop + reduction')

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

end program fortran_parallel_do_reduction
