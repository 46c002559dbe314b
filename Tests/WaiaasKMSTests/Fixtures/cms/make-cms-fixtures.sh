#!/bin/sh
# Regenerates the CMS EnvelopedData fixtures for the recipient-key tests.
# Usage: sh make-cms-fixtures.sh   (needs the openssl CLI (OpenSSL 3) and python3; writes next to itself)
# The shape follows what KMS returns as CiphertextForRecipient: one
# KeyTransRecipientInfo identified by subjectKeyIdentifier (version 2),
# RSAES-OAEP with SHA-256 for both the OAEP digest and MGF1, AES-256-CBC content.
# Every run makes a new key, plaintext and IV: the files change, their shape does not.
set -eu
cd "$(dirname "$0")"
rm -f recipient-key.pem decrypted.tmp

# The recipient: an RSA-2048 key (e = 65537) as unencrypted PKCS#8 DER, its
# SubjectPublicKeyInfo DER, and a self-signed certificate carrying a
# subjectKeyIdentifier (openssl cms -encrypt takes the recipient as a cert).
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_keygen_pubexp:65537 -out recipient-key.pem
openssl pkcs8 -topk8 -nocrypt -in recipient-key.pem -outform DER -out recipient-key.der
openssl pkey -in recipient-key.pem -pubout -outform DER -out recipient-spki.der
openssl req -new -x509 -key recipient-key.pem -subj "/CN=waiaas test recipient" -days 36500 \
    -addext "subjectKeyIdentifier=hash" -set_serial 1 -out recipient-cert.pem
rm -f recipient-key.pem

# The 32-byte plaintext (a data key stand-in).
openssl rand -out plaintext.bin 32

# ContentInfo { id-envelopedData, [0] EXPLICIT EnvelopedData } in DER, as openssl cms emits it.
openssl cms -encrypt -binary -in plaintext.bin -outform DER -out enveloped.der \
    -aes-256-cbc -recip recipient-cert.pem -keyid \
    -keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256 -keyopt rsa_mgf1_md:sha256

# The same in BER as KMS sends it: indefinite lengths (30 80 ... 00 00) and the
# encrypted content as a constructed [0] of several OCTET STRINGs (-stream chunks it).
openssl cms -encrypt -stream -binary -in plaintext.bin -outform DER -out enveloped-ber.der \
    -aes-256-cbc -recip recipient-cert.pem -keyid \
    -keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256 -keyopt rsa_mgf1_md:sha256

# Check: the good ones decrypt to the plaintext.
for f in enveloped.der enveloped-ber.der; do
    openssl cms -decrypt -binary -inform DER -in "$f" -inkey recipient-key.der -keyform DER -out decrypted.tmp
    cmp decrypted.tmp plaintext.bin
    rm -f decrypted.tmp
done

# The damaged copies, and the bare EnvelopedData.
python3 - <<'PY'
import pathlib

def walk(data, at=0, end=None, depth=0, out=None):
    """Every DER TLV as (offset, depth, tag, header length, content length)."""
    out = [] if out is None else out
    end = len(data) if end is None else end
    while at < end:
        tag, first = data[at], data[at + 1]
        if first < 0x80:
            hl, length = 2, first
        else:
            n = first & 0x7F
            hl, length = 2 + n, int.from_bytes(data[at + 2:at + 2 + n], "big")
        out.append((at, depth, tag, hl, length))
        if tag & 0x20:
            walk(data, at + hl, at + hl + length, depth + 1, out)
        at += hl + length
    return out

der = pathlib.Path("enveloped.der").read_bytes()
tlvs = walk(der)
assert tlvs[0][2] == 0x30 and tlvs[1][2] == 0x06
assert der[tlvs[1][0] + 2:tlvs[1][0] + 2 + tlvs[1][4]] == bytes.fromhex("2a864886f70d010703")  # id-envelopedData
assert tlvs[2][2] == 0xA0 and tlvs[3][2] == 0x30
at, _, _, hl, length = tlvs[3]
pathlib.Path("enveloped-data.der").write_bytes(der[at:at + hl + length])

keys = [t for t in tlvs if t[2] == 0x04 and t[4] == 256]        # KeyTransRecipientInfo.encryptedKey
# EncryptedContentInfo.encryptedContent, [0] IMPLICIT primitive at depth 4 (the other
# [0] primitive, at depth 5, is the recipient's subjectKeyIdentifier).
contents = [t for t in tlvs if t[2] == 0x80 and t[1] == 4]
skis = [t for t in tlvs if t[2] == 0x80 and t[1] == 5]
assert len(keys) == 1 and len(contents) == 1 and len(skis) == 1 and skis[0][4] == 20
key_at = keys[0][0] + keys[0][3]
content_at, content_len = contents[0][0] + contents[0][3], contents[0][4]
assert content_len == 48, content_len  # 32 bytes + one whole block of PKCS#7 padding

def damaged(name, offset):
    copy = bytearray(der)
    copy[offset] ^= 0x01
    pathlib.Path(name).write_bytes(bytes(copy))

# CBC: flipping bit 0 of ciphertext byte 31 (the last byte of block 2) flips bit 0 of
# plaintext byte 47, the last padding byte: 0x10 becomes 0x11, so the padding check
# fails every time (and block 2 decrypts to garbage).
damaged("enveloped-tampered.der", content_at + 31)
# Flipping byte 0 of block 1 garbles block 1 and flips plaintext byte 16; the padding
# is intact, so AES-CBC "succeeds" with wrong bytes: CMS has no integrity of its own.
damaged("enveloped-tampered-valid-padding.der", content_at + 0)
# One bit in the middle of the RSA-OAEP encryptedKey: OAEP decoding fails.
damaged("enveloped-bad-key.der", key_at + 128)
print(f"encryptedKey at {key_at} (256 bytes), encryptedContent at {content_at} ({content_len} bytes)")
PY

# Check: the damaged copies do not give the plaintext.
for f in enveloped-tampered.der enveloped-bad-key.der; do
    if openssl cms -decrypt -binary -inform DER -in "$f" -inkey recipient-key.der -keyform DER -out decrypted.tmp 2>/dev/null; then
        echo "$f decrypted" >&2; exit 1
    fi
    rm -f decrypted.tmp
done
openssl cms -decrypt -binary -inform DER -in enveloped-tampered-valid-padding.der -inkey recipient-key.der -keyform DER -out decrypted.tmp
if cmp -s decrypted.tmp plaintext.bin; then echo "valid-padding copy gave the plaintext" >&2; exit 1; fi
rm -f decrypted.tmp
echo "ok: enveloped.der decrypts; enveloped-tampered.der and enveloped-bad-key.der are refused; the valid-padding copy gives other bytes"
