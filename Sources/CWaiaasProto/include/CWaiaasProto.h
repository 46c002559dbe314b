// Umbrella header over the protoc-c output for Protos/ (generated files live
// beside this one under waiaas/v1/; regenerate with `make proto`).
#ifndef CWAIAAS_PROTO_H
#define CWAIAAS_PROTO_H
#include "waiaas/v1/rpc.pb-c.h"
#include "waiaas/v1/wallet.pb-c.h"
#include "waiaas/v1/attestation.pb-c.h"
#include "waiaas/v1/policy.pb-c.h"
#endif
