#include "CWaiaasAttestationShims.h"

#include <limits.h>
#include <string.h>
#include <time.h>
#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/x509.h>

X509 *waiaas_x509_from_der(const void *der, size_t len) {
    if (der == NULL || len == 0 || len > LONG_MAX) return NULL;
    const unsigned char *cursor = der;
    X509 *cert = d2i_X509(NULL, &cursor, (long)len);
    if (cert == NULL) {
        // Leave no stale entry on this thread's error queue for a later,
        // unrelated libcrypto call to report.
        ERR_clear_error();
        return NULL;
    }
    if (cursor != (const unsigned char *)der + len) {
        X509_free(cert);
        return NULL;
    }
    return cert;
}

static int asn1_time_to_unix(const ASN1_TIME *time, int64_t *out) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (time == NULL || ASN1_TIME_to_tm(time, &tm) != 1) return 0;
    *out = (int64_t)timegm(&tm);
    return 1;
}

int waiaas_x509_validity(const X509 *cert, int64_t *not_before, int64_t *not_after) {
    if (cert == NULL || not_before == NULL || not_after == NULL) return 0;
    return asn1_time_to_unix(X509_get0_notBefore(cert), not_before)
        && asn1_time_to_unix(X509_get0_notAfter(cert), not_after);
}

STACK_OF(X509) *waiaas_x509_stack_new(void) { return sk_X509_new_null(); }

int waiaas_x509_stack_push(STACK_OF(X509) *stack, X509 *cert) {
    if (stack == NULL || cert == NULL) return 0;
    if (X509_up_ref(cert) != 1) return 0;
    if (sk_X509_push(stack, cert) <= 0) {
        X509_free(cert);
        return 0;
    }
    return 1;
}

void waiaas_x509_stack_free(STACK_OF(X509) *stack) {
    if (stack != NULL) sk_X509_pop_free(stack, X509_free);
}

int waiaas_x509_stack_count(const STACK_OF(X509) *stack) {
    return stack == NULL ? 0 : sk_X509_num(stack);
}

X509 *waiaas_x509_stack_get(const STACK_OF(X509) *stack, int index) {
    if (stack == NULL || index < 0 || index >= sk_X509_num(stack)) return NULL;
    return sk_X509_value(stack, index);
}

long waiaas_x509_to_der(const X509 *cert, void *out, size_t cap) {
    if (cert == NULL || out == NULL) return -1;
    int needed = i2d_X509(cert, NULL);
    if (needed <= 0 || (size_t)needed > cap) return -1;
    unsigned char *cursor = out;
    int written = i2d_X509(cert, &cursor);
    return written == needed ? (long)written : -1;
}
