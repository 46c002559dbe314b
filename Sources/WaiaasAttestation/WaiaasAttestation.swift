// WaiaasAttestation: attestation reports, the Nitro Secure Module, and
// offline verification (docs/ARCHITECTURE.md).
//
// Daemon side:
//   - `AttestationBuilder` holds the keys and code measurement;
//     `attest(nonce:policyHash:policyVersion:ledgerHead:nitro:sign:)` returns
//     the `AttestResponse` (report bytes, agent signature over
//     `ReportSigning.signingMessage(report:)`, NSM document on Nitro).
//     `AttestationError` with code `invalidNonce` is the caller's fault (INVALID_ARGUMENT).
//   - `NitroSecureModule.isAvailable` / `NitroSecureModule()` conform to
//     `NitroAttesting`; pass one as `nitro:` to get platform `nitro`.
//
// Verifier side:
//   - `ReportVerifier.verify(response:nonce:expectations:at:)` and
//     `NitroDocumentVerifier.verify(document:at:expectedNonce:expectedUserData:expectedPCRs:)`
//     return a `VerificationResult`: every check by name, pass or fail.
//   - `AttestationFile` is the JSON file `waiaas attest` writes.
//
// Layout: CBOR/ (strict codec), Nitro/ (COSE_Sign1, payload, verifier, NSM
// device and messages), OpenSSL/ (libcrypto wrappers; no C pointer leaves
// them), Report/ (signing, building, verifying).
//
// Not exercised without a Nitro enclave: the real /dev/nsm ioctl (tested up
// to the ioctl with fake descriptors and a fake ioctl), whether the device
// accepts our request encoding (absent fields omitted), and real documents
// carrying our user_data and nonce (self-made PKI documents stand in).
