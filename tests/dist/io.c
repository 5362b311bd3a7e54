/* System calls on DSM memory: after threads on other nodes wrote pages of
   a heap buffer and of a global array, node 0 writes them to a file with
   write() and fwrite() and reads them back with read(), pread() and
   fread() in one call each. The kernel cannot take a DSM fault, so pomp
   brings the pages first; nothing may come back short. Prints OK. */
#include <fcntl.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N (1 << 18)
static char gbuf[N];

static int check(const char *what, const char *p, long got, long want, int salt) {
  if (got != want) {
    printf("%s: %ld of %ld bytes\n", what, got, want);
    return 1;
  }
  for (long i = 0; i < want; i++)
    if (p[i] != (char)(i * 7 + salt)) {
      printf("%s: byte %ld differs\n", what, i);
      return 1;
    }
  return 0;
}

int main(void) {
  char *heap = malloc(N);
  char path[] = "/tmp/pomp-io-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return 2;
  unlink(path);
  int bad = 0;
  /* Every thread (on every node) fills its share of both buffers. */
  #pragma omp parallel for schedule(static, 4096)
  for (long i = 0; i < N; i++) {
    heap[i] = (char)(i * 7 + 1);
    gbuf[i] = (char)(i * 7 + 2);
  }
  bad += write(fd, heap, N) != N;
  FILE *f = fdopen(dup(fd), "w+");
  bad += fwrite(gbuf, 1, N, f) != N;
  fflush(f);
  /* Other nodes write the buffers again (so node 0 holds no copy). */
  #pragma omp parallel for schedule(static, 4096)
  for (long i = 0; i < N; i++) {
    heap[i] = 0;
    gbuf[i] = 0;
  }
  lseek(fd, 0, SEEK_SET);
  bad += check("read", heap, read(fd, heap, N), N, 1);
  bad += check("pread", gbuf, pread(fd, gbuf, N, N), N, 2);
  #pragma omp parallel for schedule(static, 4096)
  for (long i = 0; i < N; i++) heap[i] = 0;
  rewind(f);
  bad += check("fread", heap, (long)fread(heap, 1, N, f), N, 1);
  fclose(f);
  close(fd);
  free(heap);
  printf("bad %d\n", bad);
  printf(bad ? "FAIL\n" : "OK\n");
  return bad != 0;
}
