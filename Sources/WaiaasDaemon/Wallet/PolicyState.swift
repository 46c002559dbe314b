import WaiaasPolicy
import WaiaasProto
import WaiaasSolana

/// The policy in force, with what made it so.
struct PolicyState: Sendable {
    var compiled: CompiledPolicy?
    var version: UInt64 = 0
    var bytes: [UInt8] = []
    var hash: [UInt8] = []
    var signatures: [OwnerSignature] = []
    var ledgerSequence: UInt64 = 0

    static let none = PolicyState()
}
