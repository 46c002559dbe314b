#define _GNU_SOURCE
#include "CWaiaasShims.h"

#include <errno.h>
#include <string.h>
#include <malloc.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <stddef.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

// waiaas_peer_credentials is read directly by getsockopt(SO_PEERCRED) through
// SwiftNIO's socket-option provider, so it must have struct ucred's layout.
_Static_assert(sizeof(waiaas_peer_credentials) == sizeof(struct ucred), "ucred size");
_Static_assert(offsetof(waiaas_peer_credentials, uid) == offsetof(struct ucred, uid), "ucred uid");
_Static_assert(offsetof(waiaas_peer_credentials, gid) == offsetof(struct ucred, gid), "ucred gid");

int waiaas_so_peercred_level(void) { return SOL_SOCKET; }
int waiaas_so_peercred_name(void) { return SO_PEERCRED; }

int waiaas_get_peer_credentials(int fd, waiaas_peer_credentials *out) {
    struct ucred cred;
    socklen_t len = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
        return -1;
    }
    if (len != sizeof(cred)) {
        errno = EPROTO;
        return -1;
    }
    waiaas_ucred_decode(&cred, out);
    return 0;
}

void waiaas_ucred_decode(const void *ucred_bytes, waiaas_peer_credentials *out) {
    struct ucred cred;
    memcpy(&cred, ucred_bytes, sizeof(cred));
    out->pid = (int32_t)cred.pid;
    out->uid = (uint32_t)cred.uid;
    out->gid = (uint32_t)cred.gid;
}

int waiaas_disable_core_dumps(void) {
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0) {
        return -1;
    }
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        return -1;
    }
    return 0;
}

int waiaas_fix_mmap_threshold(int bytes) {
    if (mallopt(M_MMAP_THRESHOLD, bytes) != 1) {
        return -1;
    }
    if (mallopt(M_TRIM_THRESHOLD, 2 * bytes) != 1) {
        return -1;
    }
    return 0;
}

size_t waiaas_mapped_block_count(void) {
    return mallinfo2().hblks;
}

int waiaas_is_dumpable(void) {
    return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
}

static volatile sig_atomic_t shutdown_notify_fd = -1;

static void waiaas_on_shutdown_signal(int signo) {
    int saved = errno;
    unsigned char byte = (unsigned char)signo;
    if (shutdown_notify_fd >= 0) {
        // write(2) is async-signal-safe; a full pipe already holds a request.
        ssize_t ignored = write(shutdown_notify_fd, &byte, 1);
        (void)ignored;
    }
    errno = saved;
}

int waiaas_install_shutdown_signals(int notify_fd) {
    shutdown_notify_fd = notify_fd;
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = waiaas_on_shutdown_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    if (sigaction(SIGTERM, &action, NULL) != 0) return -1;
    if (sigaction(SIGINT, &action, NULL) != 0) return -1;
    return 0;
}
