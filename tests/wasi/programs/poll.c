// STDIN: ready\n
// poll_oneoff: relative and absolute clocks, fd_read on stdin, fd_write,
// bad fds, and poll() on top of it.
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#include "test_util.h"

static int64_t mono(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static __wasi_subscription_t clock_sub(uint64_t userdata, __wasi_clockid_t id, uint64_t timeout, int abs) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = id;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.flags = abs ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
  return s;
}

static __wasi_subscription_t fd_sub(uint64_t userdata, __wasi_eventtype_t type, int fd) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = type;
  s.u.u.fd_read.file_descriptor = fd;
  return s;
}

// Whether the writer hung up is only printed at EOF: before that it depends
// on how fast the runner closes its end.
static int print_hangup;

static void show(const char* label, __wasi_subscription_t* subs, int n) {
  __wasi_event_t ev[4];
  __wasi_size_t count = 0;
  __wasi_errno_t e = __wasi_poll_oneoff(subs, ev, n, &count);
  printf("%s: errno %d, %u event(s)", label, e, (unsigned)count);
  for (__wasi_size_t i = 0; i < count; i++) {
    printf(" [userdata %llu type %d error %d", (unsigned long long)ev[i].userdata, ev[i].type, ev[i].error);
    if (ev[i].type != __WASI_EVENTTYPE_CLOCK)
      printf(" nbytes %llu", (unsigned long long)ev[i].fd_readwrite.nbytes);
    if (ev[i].type != __WASI_EVENTTYPE_CLOCK && print_hangup)
      printf(" hangup %d", ev[i].fd_readwrite.flags & __WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP);
    printf("]");
  }
  printf("\n");
}

int main(void) {
  int64_t t0 = mono();
  __wasi_subscription_t subs[3];
  subs[0] = clock_sub(11, __WASI_CLOCKID_MONOTONIC, 20000000, 0);
  show("relative 20ms", subs, 1);
  printf("waited at least 20ms: %s\n", YES(mono() - t0 >= 20000000));

  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  uint64_t soon = (uint64_t)now.tv_sec * 1000000000 + now.tv_nsec + 10000000;
  subs[0] = clock_sub(21, __WASI_CLOCKID_MONOTONIC, 5000000000ull, 0);
  subs[1] = clock_sub(22, __WASI_CLOCKID_REALTIME, soon, 1);
  t0 = mono();
  show("5s vs absolute realtime +10ms", subs, 2);
  printf("returned well before 5s: %s\n", YES(mono() - t0 < 2000000000));

  subs[0] = clock_sub(31, __WASI_CLOCKID_MONOTONIC, 1, 1);
  show("absolute time in the past", subs, 1);
  subs[0] = clock_sub(41, __WASI_CLOCKID_PROCESS_CPUTIME_ID, 1000000, 0);
  show("process cputime 1ms", subs, 1);
  subs[0] = clock_sub(51, 9, 0, 0);
  show("unknown clock", subs, 1);

  subs[0] = fd_sub(61, __WASI_EVENTTYPE_FD_READ, 0);
  subs[1] = clock_sub(62, __WASI_CLOCKID_MONOTONIC, 5000000000ull, 0);
  show("stdin with data", subs, 2);
  subs[0] = fd_sub(71, __WASI_EVENTTYPE_FD_WRITE, 1);
  show("stdout writable", subs, 1);
  subs[0] = fd_sub(81, __WASI_EVENTTYPE_FD_READ, 99);
  show("bad fd", subs, 1);
  show("no subscriptions", subs, 0);

  struct pollfd p = {.fd = 0, .events = POLLIN};
  int r = poll(&p, 1, 1000);
  printf("poll(stdin): %d, POLLIN: %s\n", r, YES(p.revents & POLLIN));
  char buf[16] = {0};
  printf("read: %zd [%.5s]\n", read(0, buf, sizeof buf), buf);
  subs[0] = fd_sub(91, __WASI_EVENTTYPE_FD_READ, 0);
  print_hangup = 1;
  show("stdin at eof", subs, 1);
  t0 = mono();
  r = poll(NULL, 0, 25);
  printf("poll timeout 25ms: %d, waited: %s\n", r, YES(mono() - t0 >= 25000000));
  return 0;
}
