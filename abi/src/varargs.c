/* The variadic entry points of the GOMP ABI, which stable Rust cannot
   define: collect the iteration vector and hand it to the runtime.
   GOMP_doacross_wait (long first, ...)           GOMP_4.5
   GOMP_doacross_ull_wait (unsigned long long first, ...)  GOMP_4.5 */

#include <stdarg.h>

extern unsigned pomp_doacross_ndims (void);
extern void pomp_doacross_wait_array (const unsigned long long *v);

/* More dimensions than this are waited on as an out-of-range sink (no
   wait); GCC's ordered(n) needs n <= 64 in practice.  */
#define POMP_DOACROSS_MAX_DIMS 64

void
GOMP_doacross_wait (long first, ...)
{
  unsigned long long v[POMP_DOACROSS_MAX_DIMS];
  unsigned n = pomp_doacross_ndims ();
  va_list ap;
  if (n == 0 || n > POMP_DOACROSS_MAX_DIMS)
    return;
  v[0] = (unsigned long long) first;
  va_start (ap, first);
  for (unsigned i = 1; i < n; i++)
    v[i] = (unsigned long long) va_arg (ap, long);
  va_end (ap);
  pomp_doacross_wait_array (v);
}

void
GOMP_doacross_ull_wait (unsigned long long first, ...)
{
  unsigned long long v[POMP_DOACROSS_MAX_DIMS];
  unsigned n = pomp_doacross_ndims ();
  va_list ap;
  if (n == 0 || n > POMP_DOACROSS_MAX_DIMS)
    return;
  v[0] = first;
  va_start (ap, first);
  for (unsigned i = 1; i < n; i++)
    v[i] = va_arg (ap, unsigned long long);
  va_end (ap);
  pomp_doacross_wait_array (v);
}
