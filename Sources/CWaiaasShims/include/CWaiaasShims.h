// Small C shims for what Swift cannot reach directly: peer credentials of a
// Unix socket (SO_PEERCRED needs _GNU_SOURCE's struct ucred) and process
// hardening (prctl, setrlimit), glibc malloc tuning (mallopt). Nothing here
// keeps state or pointers.
#ifndef CWAIAAS_SHIMS_H
#define CWAIAAS_SHIMS_H

#include <stdint.h>
#include <sys/types.h>

/// The credentials of the process at the other end of a Unix stream socket,
/// as the kernel recorded them at connect time. Same layout as Linux's
/// struct ucred (checked at compile time in shims.c).
typedef struct {
    int32_t pid;
    uint32_t uid;
    uint32_t gid;
} waiaas_peer_credentials;

/// The SO_PEERCRED option's level and name, for getsockopt callers that only
/// have a socket-option provider (SwiftNIO) rather than the descriptor.
int waiaas_so_peercred_level(void);
int waiaas_so_peercred_name(void);

/// Reads SO_PEERCRED on `fd`. Returns 0 on success, -1 with errno set.
int waiaas_get_peer_credentials(int fd, waiaas_peer_credentials *out);

/// Converts the kernel's struct ucred bytes to our fixed-layout struct.
void waiaas_ucred_decode(const void *ucred_bytes, waiaas_peer_credentials *out);

/// Turns core dumps off for this process: RLIMIT_CORE 0 and not dumpable
/// (which also keeps other same-uid processes from ptrace-attaching).
/// Returns 0 on success, -1 with errno set.
int waiaas_disable_core_dumps(void);

/// Fixes glibc's mmap threshold at `bytes` (stopping its dynamic rise) and
/// its heap-top trim threshold at twice that (mallopt). Returns 0 on
/// success, -1 when glibc refused either.
int waiaas_fix_mmap_threshold(int bytes);

/// How many blocks glibc's malloc holds as mappings of their own (mallinfo2's hblks).
size_t waiaas_mapped_block_count(void);

/// Installs SIGTERM and SIGINT handlers that write one byte to `notify_fd`
/// (a pipe's write end) and otherwise do nothing, so shutdown is handled on
/// an ordinary thread. Installed synchronously with sigaction, before the
/// socket is bound, so no signal can arrive in a window where it would kill
/// the process or be dropped. Returns 0 on success, -1 with errno set.
int waiaas_install_shutdown_signals(int notify_fd);

/// 1 when the process is dumpable, 0 when not, -1 on error.
int waiaas_is_dumpable(void);

#endif
