#include "CWaiaasAttestationShims.h"

#include <limits.h>
#include <openssl/bn.h>
#include <openssl/ec.h>

long waiaas_ecdsa_raw_to_der(const void *raw, size_t raw_len, void *out, size_t cap) {
    if (raw == NULL || out == NULL || raw_len == 0 || raw_len % 2 != 0 || raw_len > 1024) return -1;
    const unsigned char *bytes = raw;
    size_t half = raw_len / 2;
    BIGNUM *r = BN_bin2bn(bytes, (int)half, NULL);
    BIGNUM *s = BN_bin2bn(bytes + half, (int)half, NULL);
    ECDSA_SIG *sig = ECDSA_SIG_new();
    if (r == NULL || s == NULL || sig == NULL) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
        return -1;
    }
    // set0 takes ownership of r and s.
    if (ECDSA_SIG_set0(sig, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
        return -1;
    }
    long result = -1;
    int needed = i2d_ECDSA_SIG(sig, NULL);
    if (needed > 0 && (size_t)needed <= cap) {
        unsigned char *cursor = out;
        int written = i2d_ECDSA_SIG(sig, &cursor);
        if (written == needed) result = written;
    }
    ECDSA_SIG_free(sig);
    return result;
}
