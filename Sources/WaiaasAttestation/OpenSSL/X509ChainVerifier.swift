internal import COpenSSL
internal import CWaiaasAttestationShims
import Foundation

/// Verifies leaf → intermediates → one trusted root with libcrypto's X509
/// store, at a caller-given time. The store holds only the given root (no
/// system trust store), so nothing else can anchor the chain.
enum X509ChainVerifier {
    /// Why a chain does not verify: a result the verifier reports as a
    /// failed check, never thrown.
    struct Failure: Equatable, CustomStringConvertible {
        /// libcrypto's X509_V_ERR_* code, 0 when setup itself failed.
        let code: Int32
        /// Position in the built chain (0 = leaf) where it failed.
        let depth: Int32
        let reason: String
        var description: String { "\(reason) (X509 error \(code) at depth \(depth))" }
    }

    static func verify(leaf: X509Certificate, intermediates: [X509Certificate], root: X509Certificate, at time: Date) -> Failure? {
        guard let store = X509_STORE_new() else { return Failure(code: 0, depth: -1, reason: "cannot allocate an X509 store") }
        defer { X509_STORE_free(store) }
        guard X509_STORE_add_cert(store, root.pointer) == 1 else {
            ERR_clear_error()
            return Failure(code: 0, depth: -1, reason: "cannot add the root to the store")
        }
        guard let untrusted = waiaas_x509_stack_new() else { return Failure(code: 0, depth: -1, reason: "cannot allocate a certificate stack") }
        defer { waiaas_x509_stack_free(untrusted) }
        for certificate in intermediates where waiaas_x509_stack_push(untrusted, certificate.pointer) != 1 {
            return Failure(code: 0, depth: -1, reason: "cannot build the intermediate stack")
        }
        guard let context = X509_STORE_CTX_new() else { return Failure(code: 0, depth: -1, reason: "cannot allocate a verify context") }
        defer { X509_STORE_CTX_free(context) }
        guard X509_STORE_CTX_init(context, store, leaf.pointer, untrusted) == 1 else {
            ERR_clear_error()
            return Failure(code: 0, depth: -1, reason: "cannot initialise the verify context")
        }
        // Every certificate, the root included, must be valid at `time`
        // (documents are checked long after their three-hour leaf expired),
        // and the root's own signature is checked too, which libcrypto skips
        // for trust anchors by default. X509_V_FLAG_X509_STRICT is not set:
        // real NSM leaves carry no Authority Key Identifier, which strict
        // mode refuses; CA basic constraints and path lengths are checked
        // either way.
        X509_STORE_CTX_set_time(context, 0, time_t(time.timeIntervalSince1970.rounded(.down)))
        X509_STORE_CTX_set_flags(context, UInt(X509_V_FLAG_CHECK_SS_SIGNATURE))
        let ok = X509_verify_cert(context)
        defer { ERR_clear_error() }
        if ok == 1 { return nil }
        let code = X509_STORE_CTX_get_error(context)
        let reason = X509_verify_cert_error_string(Int(code)).map { String(cString: $0) } ?? "unknown"
        return Failure(code: code, depth: X509_STORE_CTX_get_error_depth(context), reason: reason)
    }
}
