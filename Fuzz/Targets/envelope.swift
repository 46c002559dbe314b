// Fuzz target `envelope`: protobuf decoding through protobuf-c
// (Sources/WaiaasProto). The input is decoded as an Envelope and, when that
// succeeds and its method is one of the Wallet service's, its payload as that
// method's request, then taken where the daemon takes it: Sign through
// SignSubject.make (transaction or off-chain message, lookup-table shape),
// SetPolicy through CompiledPolicy.decode, Propose's transaction through the
// Solana decoder. The input itself is also decoded as every request message
// (and every response and nested message, which the Swift client decodes),
// so mutations reach each message's fields without an envelope around them.
//
// Checked: decoding never traps; whatever decodes re-encodes to bytes that
// decode to the same value.
import WaiaasPolicy
import WaiaasProto
import WaiaasSolana

private let agent = PublicKey(bytes: [UInt8](repeating: 0xA1, count: 32))!

private func roundTrip<M: ProtoMessage>(_ message: M) {
    let bytes = message.serializedBytes()
    let again: M
    do {
        again = try M(serializedBytes: bytes)
    } catch {
        fuzzCheck(false, "\(M.protoName): re-encoded bytes do not decode: \(error)")
        return
    }
    fuzzCheck(again == message, "\(M.protoName): decode(encode(x)) != x")
}

@discardableResult
private func decode<M: ProtoMessage>(_ type: M.Type, _ bytes: [UInt8]) -> M? {
    guard let message = try? M(serializedBytes: bytes) else { return nil }
    roundTrip(message)
    return message
}

/// A request as the daemon's handler for `method` takes it.
private func serve(_ method: WalletMethod, _ payload: [UInt8]) {
    switch method {
    case .sign:
        guard let request = decode(SignRequest.self, payload) else { return }
        if case .success(let subject) = SignSubject.make(request, agent: agent) {
            fuzzCheck(subject.agentSlot == nil || subject.transaction != nil, "agent slot without a transaction")
        }
    case .propose:
        guard let request = decode(ProposeRequest.self, payload) else { return }
        if let transaction = try? SolanaTransaction.decode(request.transaction) {
            _ = try? transaction.message.resolve()
        } else if let message = try? Message.decode(request.transaction) {
            _ = try? message.resolve()
        }
    case .setPolicy:
        guard let request = decode(SetPolicyRequest.self, payload) else { return }
        _ = try? CompiledPolicy.decode(request.policy)
    case .attest:
        decode(AttestRequest.self, payload)
    case .getStatus:
        decode(GetStatusRequest.self, payload)
    case .getPolicy:
        decode(GetPolicyRequest.self, payload)
    case .getBalances:
        decode(GetBalancesRequest.self, payload)
    case .transfer:
        // The daemon checks these fields before it builds anything.
        guard let request = decode(TransferRequest.self, payload) else { return }
        _ = PublicKey(bytes: request.destination)
        _ = PublicKey(bytes: request.mint)
    case .executeProposal:
        guard let request = decode(ExecuteProposalRequest.self, payload) else { return }
        _ = PublicKey(bytes: request.recentBlockhash)
    case .payX402:
        decode(PayX402Request.self, payload)
    case .freeze:
        decode(FreezeRequest.self, payload)
    case .unfreeze:
        decode(UnfreezeRequest.self, payload)
    case .getProposal:
        decode(GetProposalRequest.self, payload)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)

    if let envelope = decode(Envelope.self, bytes), let method = WalletMethod(rawValue: envelope.method) {
        serve(method, envelope.payload)
    }

    // The same bytes as each message directly.
    for method in WalletMethod.allCases { serve(method, bytes) }
    decode(Status.self, bytes)
    decode(Reason.self, bytes)
    decode(LookupTable.self, bytes)
    decode(AssetAmount.self, bytes)
    decode(OwnerSignature.self, bytes)
    decode(SignResponse.self, bytes)
    decode(ProposeResponse.self, bytes)
    decode(SetPolicyResponse.self, bytes)
    decode(AttestResponse.self, bytes)
    decode(GetStatusResponse.self, bytes)
    decode(GetPolicyResponse.self, bytes)
    decode(GetBalancesResponse.self, bytes)
    decode(TokenBalance.self, bytes)
    decode(TransferResponse.self, bytes)
    decode(Submission.self, bytes)
    decode(AttestationReport.self, bytes)
    decode(LedgerHead.self, bytes)
    decode(CodeMeasurement.self, bytes)
    decode(Policy.self, bytes)
    return 0
}
