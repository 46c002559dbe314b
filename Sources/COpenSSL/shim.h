// Debian's OpenSSL 3 (libssl-dev), for X.509 chains and ECDSA P-384 in
// WaiaasAttestation. Only the headers that code needs.
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
// For WaiaasKMS: SigV4's SHA-256 and HMAC, and the CMS envelope KMS seals a
// data key in for an enclave's RSA recipient key.
#include <openssl/cms.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
