// C helpers for WaiaasAttestation: OpenSSL 3 APIs that are macros (and so
// invisible to Swift) or that take `unsigned char **` cursors, and the raw
// ioctl of the Nitro Secure Module device. Nothing here keeps state; every
// object returned is owned by the caller, who frees it with the named
// function.
#ifndef CWAIAAS_ATTESTATION_SHIMS_H
#define CWAIAAS_ATTESTATION_SHIMS_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/x509.h>

// MARK: - X.509

/// Parses one DER certificate. NULL if the bytes are not exactly one
/// certificate (trailing bytes are refused, so a bundle entry cannot smuggle
/// data past the signature check). Free with X509_free.
X509 *waiaas_x509_from_der(const void *der, size_t len);

/// The certificate's validity window in seconds since the Unix epoch.
/// Returns 1 on success, 0 if a time cannot be read.
int waiaas_x509_validity(const X509 *cert, int64_t *not_before, int64_t *not_after);

/// A stack of certificates that owns its entries. Free with
/// waiaas_x509_stack_free.
STACK_OF(X509) *waiaas_x509_stack_new(void);
/// Pushes `cert` after taking a reference; the caller keeps its own. 1 on success.
int waiaas_x509_stack_push(STACK_OF(X509) *stack, X509 *cert);
void waiaas_x509_stack_free(STACK_OF(X509) *stack);
int waiaas_x509_stack_count(const STACK_OF(X509) *stack);
/// Borrowed: valid while the stack lives.
X509 *waiaas_x509_stack_get(const STACK_OF(X509) *stack, int index);

/// Writes the DER encoding of `cert` into `out` (capacity `cap`). Returns
/// the length, or -1 when it does not fit or cannot be encoded.
long waiaas_x509_to_der(const X509 *cert, void *out, size_t cap);

// MARK: - ECDSA

/// Converts a raw r||s signature (as COSE carries it) to DER ECDSA-Sig-Value,
/// as EVP_DigestVerify wants it. `raw_len` must be even and non-zero.
/// Returns the DER length written to `out`, or -1.
long waiaas_ecdsa_raw_to_der(const void *raw, size_t raw_len, void *out, size_t cap);

// MARK: - Nitro Secure Module

/// From the kernel's include/uapi/linux/nsm.h; the same layout as the older
/// out-of-tree driver.
#define WAIAAS_NSM_REQUEST_MAX_SIZE 0x1000
#define WAIAAS_NSM_RESPONSE_MAX_SIZE 0x3000

typedef struct {
    uint64_t addr;
    uint64_t len;
} waiaas_nsm_iovec;

typedef struct {
    waiaas_nsm_iovec request;
    waiaas_nsm_iovec response;
} waiaas_nsm_raw;

/// NSM_IOCTL_RAW: _IOWR(0x0A, 0, struct nsm_raw), 0xC0200A00 on 64-bit.
unsigned long waiaas_nsm_ioctl_raw_command(void);

/// The ioctl the exchange calls: the real one in production, a fake in tests.
typedef int (*waiaas_nsm_ioctl_fn)(int fd, unsigned long command, void *argument);

/// Opens the device read-write, close-on-exec. The fd, or -errno.
int waiaas_nsm_open(const char *path);
/// Closes an fd from waiaas_nsm_open. 0, or -errno.
int waiaas_nsm_close(int fd);

/// One raw NSM exchange: sends `request` and receives at most `response_cap`
/// bytes into `response`, storing the count in `response_len`. Returns 0, or
/// -errno (EMSGSIZE for a request over 4 KiB or a response the device says
/// does not fit). `ioctl_fn` NULL means the real ioctl(2).
int waiaas_nsm_exchange(int fd, const void *request, size_t request_len,
                        void *response, size_t response_cap, size_t *response_len,
                        waiaas_nsm_ioctl_fn ioctl_fn);

#endif
