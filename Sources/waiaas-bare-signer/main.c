// waiaas-bare-signer: the floor under any Unix-socket signer on this machine,
// for `make bench` only. It speaks just enough of OpenSSH's agent protocol
// (list identities, sign) for the bench's ssh-agent client to drive it
// unchanged, signs with libsodium, and does nothing else: no policy, no
// ledger, no protobuf, one blocking thread per connection (the fewest
// syscalls and wake-ups a closed-loop call can cost). Its throughput is the
// transport and signature alone; the bench compares waiaasd with it.
//
// It holds a throwaway key made at start and never written anywhere.
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <sodium.h>

enum {
    agentFailure = 5,
    requestIdentities = 11,
    identitiesAnswer = 12,
    signRequest = 13,
    signResponse = 14,
    // Far above a 200-byte sign request; anything larger ends the connection.
    maximumFrame = 16 * 1024,
};

static unsigned char publicKey[crypto_sign_PUBLICKEYBYTES];
static unsigned char secretKey[crypto_sign_SECRETKEYBYTES];

// Moves exactly `count` bytes (recv or send), retrying short transfers and EINTR.
static int transferFully(int fd, unsigned char *buffer, size_t count, int sending) {
    size_t done = 0;
    while (done < count) {
        ssize_t n = sending ? send(fd, buffer + done, count - done, MSG_NOSIGNAL) : recv(fd, buffer + done, count - done, 0);
        if (n > 0) {
            done += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            return -1;
        }
    }
    return 0;
}

static void putU32(unsigned char *out, uint32_t value) {
    out[0] = (unsigned char)(value >> 24);
    out[1] = (unsigned char)(value >> 16);
    out[2] = (unsigned char)(value >> 8);
    out[3] = (unsigned char)value;
}

static uint32_t getU32(const unsigned char *in) {
    return (uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 | (uint32_t)in[2] << 8 | (uint32_t)in[3];
}

// An SSH string: 4-byte big-endian length, then the bytes. Returns the end.
static unsigned char *putString(unsigned char *out, const void *bytes, uint32_t count) {
    putU32(out, count);
    memcpy(out + 4, bytes, count);
    return out + 4 + count;
}

// string "ssh-ed25519", string key: 51 bytes.
static size_t keyBlob(unsigned char *out) {
    unsigned char *end = putString(out, "ssh-ed25519", 11);
    end = putString(end, publicKey, sizeof publicKey);
    return (size_t)(end - out);
}

// Answers one request into `answer` (after its 4-byte length); returns the body length.
static size_t answerRequest(const unsigned char *request, uint32_t length, unsigned char *answer) {
    unsigned char *body = answer + 4;
    if (length >= 1 && request[0] == requestIdentities) {
        unsigned char blob[64];
        size_t blobLength = keyBlob(blob);
        body[0] = identitiesAnswer;
        putU32(body + 1, 1);
        unsigned char *end = putString(body + 5, blob, (uint32_t)blobLength);
        end = putString(end, "bench", 5);
        return (size_t)(end - body);
    }
    // byte 13, string key blob, string data, uint32 flags.
    if (length >= 5 && request[0] == signRequest) {
        uint32_t blobLength = getU32(request + 1);
        if (blobLength <= length - 5 && length - 5 - blobLength >= 4) {
            const unsigned char *data = request + 5 + blobLength + 4;
            uint32_t dataLength = getU32(request + 5 + blobLength);
            if (dataLength <= length - 9 - blobLength) {
                unsigned char signature[crypto_sign_BYTES];
                crypto_sign_detached(signature, NULL, data, dataLength, secretKey);
                // byte 14, string (string "ssh-ed25519", string signature).
                unsigned char inner[4 + 11 + 4 + crypto_sign_BYTES];
                unsigned char *innerEnd = putString(inner, "ssh-ed25519", 11);
                innerEnd = putString(innerEnd, signature, sizeof signature);
                body[0] = signResponse;
                unsigned char *end = putString(body + 1, inner, (uint32_t)(innerEnd - inner));
                return (size_t)(end - body);
            }
        }
    }
    body[0] = agentFailure;
    return 1;
}

static void *serve(void *argument) {
    int fd = (int)(intptr_t)argument;
    unsigned char *request = malloc(maximumFrame);
    unsigned char answer[256];
    while (request != NULL) {
        unsigned char header[4];
        if (transferFully(fd, header, 4, 0) != 0) break;
        uint32_t length = getU32(header);
        if (length == 0 || length > maximumFrame) break;
        if (transferFully(fd, request, length, 0) != 0) break;
        size_t answerLength = answerRequest(request, length, answer);
        putU32(answer, (uint32_t)answerLength);
        if (transferFully(fd, answer, 4 + answerLength, 1) != 0) break;
    }
    free(request);
    close(fd);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: waiaas-bare-signer SOCKET-PATH\n");
        return 2;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "waiaas-bare-signer: libsodium failed to start\n");
        return 1;
    }
    crypto_sign_keypair(publicKey, secretKey);

    struct sockaddr_un address = {.sun_family = AF_UNIX};
    if (strlen(argv[1]) >= sizeof address.sun_path) {
        fprintf(stderr, "waiaas-bare-signer: socket path too long\n");
        return 2;
    }
    strcpy(address.sun_path, argv[1]);
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    if (listener < 0 || bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 128) != 0) {
        fprintf(stderr, "waiaas-bare-signer: cannot listen on %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    // The bench waits for this line before connecting.
    printf("listening\n");
    fflush(stdout);

    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attributes, 256 * 1024);
    for (;;) {
        int fd = accept(listener, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            fprintf(stderr, "waiaas-bare-signer: accept: %s\n", strerror(errno));
            return 1;
        }
        pthread_t thread;
        if (pthread_create(&thread, &attributes, serve, (void *)(intptr_t)fd) != 0) close(fd);
    }
}
