/* LD_PRELOAD fault injection for the ledger fault tests: while the file
 * named by WAIAAS_FAULT_FILE exists, writes (write, pwrite, pwrite64,
 * writev) to any descriptor whose path contains "ledger.sqlite" fail with
 * the errno written in that file (EROFS by default), and fsync/fdatasync on
 * them fail with EIO. Nothing else is touched. Built by the test itself. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static int faulting(int fd, int *code) {
    const char *control = getenv("WAIAAS_FAULT_FILE");
    if (!control) return 0;
    FILE *f = fopen(control, "r");
    if (!f) return 0;
    int value = EROFS;
    if (fscanf(f, "%d", &value) != 1) value = EROFS;
    fclose(f);
    char link[64], target[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0) return 0;
    target[n] = 0;
    if (!strstr(target, "ledger.sqlite")) return 0;
    *code = value;
    return 1;
}

#define NEXT(name) static __typeof__(name) *next; if (!next) next = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *buf, size_t count) {
    NEXT(write);
    int code;
    if (faulting(fd, &code)) { errno = code; return -1; }
    return next(fd, buf, count);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
    NEXT(pwrite);
    int code;
    if (faulting(fd, &code)) { errno = code; return -1; }
    return next(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset) {
    NEXT(pwrite64);
    int code;
    if (faulting(fd, &code)) { errno = code; return -1; }
    return next(fd, buf, count, offset);
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt) {
    NEXT(writev);
    int code;
    if (faulting(fd, &code)) { errno = code; return -1; }
    return next(fd, iov, iovcnt);
}

int fsync(int fd) {
    NEXT(fsync);
    int code;
    if (faulting(fd, &code)) { errno = EIO; return -1; }
    return next(fd);
}

int fdatasync(int fd) {
    NEXT(fdatasync);
    int code;
    if (faulting(fd, &code)) { errno = EIO; return -1; }
    return next(fd);
}
