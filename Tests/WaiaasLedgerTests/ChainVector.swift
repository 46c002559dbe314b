/// The expected hash of `ChainTests.testChainEncodingMatchesTheDocumentedVector`,
/// computed with Python's hashlib from the encoding documented on
/// `LedgerChain` (not with this module's code):
///
///     u32 = lambda x: struct.pack(">I", x); u64 = lambda x: struct.pack(">Q", x)
///     b = lambda x: u32(len(x)) + x
///     body = u64(1) + u64(1700000000123) + b(b"sign") + b(req) + b(sha256(req)) + b(b"\x11"*32)
///          + b(b"allow") + u32(1) + b(b"ok") + b(b"fine")
///          + u32(2) + b(b"") + u64(5000) + b(b"\x22"*32) + u64(7)
///          + b(b"\x33"*64) + u64(2) + b(b"x402")
///     sha256(b"waiaas ledger v1\x00" + b"\x00"*32 + body)      # req = 0a 03 61 62 63
enum ChainVector {
    static let expectedHash = "e59289aafada8e4377f1d78e091d6740bd8c1b37997b43c17055d137286ae6a0"
}
