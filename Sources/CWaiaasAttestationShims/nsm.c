#include "CWaiaasAttestationShims.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define WAIAAS_NSM_MAGIC 0x0A
#define WAIAAS_NSM_IOCTL_RAW _IOWR(WAIAAS_NSM_MAGIC, 0x0, waiaas_nsm_raw)

_Static_assert(sizeof(waiaas_nsm_raw) == 32, "struct nsm_raw is two pairs of u64");
#if UINTPTR_MAX == 0xffffffffffffffffULL
_Static_assert(WAIAAS_NSM_IOCTL_RAW == 0xC0200A00UL, "NSM_IOCTL_RAW as the kernel defines it");
#endif

unsigned long waiaas_nsm_ioctl_raw_command(void) { return WAIAAS_NSM_IOCTL_RAW; }

int waiaas_nsm_open(const char *path) {
    if (path == NULL) return -EINVAL;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int waiaas_nsm_close(int fd) { return close(fd) == 0 ? 0 : -errno; }

static int real_ioctl(int fd, unsigned long command, void *argument) {
    return ioctl(fd, command, argument);
}

int waiaas_nsm_exchange(int fd, const void *request, size_t request_len,
                        void *response, size_t response_cap, size_t *response_len,
                        waiaas_nsm_ioctl_fn ioctl_fn) {
    if (request == NULL || response == NULL || response_len == NULL || request_len == 0) return -EINVAL;
    // The driver refuses these too; refusing here keeps the error the same
    // on every kernel and never hands it an oversized copy.
    if (request_len > WAIAAS_NSM_REQUEST_MAX_SIZE) return -EMSGSIZE;
    if (response_cap > WAIAAS_NSM_RESPONSE_MAX_SIZE) response_cap = WAIAAS_NSM_RESPONSE_MAX_SIZE;

    waiaas_nsm_raw message;
    memset(&message, 0, sizeof message);
    message.request.addr = (uint64_t)(uintptr_t)request;
    message.request.len = (uint64_t)request_len;
    message.response.addr = (uint64_t)(uintptr_t)response;
    message.response.len = (uint64_t)response_cap;

    waiaas_nsm_ioctl_fn call = ioctl_fn != NULL ? ioctl_fn : real_ioctl;
    int rc;
    do {
        rc = call(fd, WAIAAS_NSM_IOCTL_RAW, &message);
    } while (rc < 0 && errno == EINTR);
    if (rc < 0) return -errno;
    // response.len is in/out: the device writes how much it produced.
    if (message.response.len > response_cap) return -EMSGSIZE;
    *response_len = (size_t)message.response.len;
    return 0;
}
