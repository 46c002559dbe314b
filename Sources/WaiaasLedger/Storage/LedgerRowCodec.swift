/// Moves rows between SQLite statements and Swift values. Reading is strict:
/// a column of the wrong type or shape makes the row undecodable rather than
/// being coerced, so the verifier and every reader see the same thing.
enum LedgerRowCodec {
    static let insertSQL = "INSERT INTO ledger (\(LedgerSchema.columns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"

    static func bindInsert(_ statement: SQLiteStatement, row: ChainRow, previousHash: [UInt8], hash: [UInt8]) {
        statement.bind(1, row.sequence)
        statement.bind(2, row.timeUnixMilliseconds)
        statement.bindText(3, row.kind)
        statement.bindBlob(4, row.request)
        statement.bindBlob(5, row.requestDigest)
        statement.bindBlob(6, row.messageDigest)
        statement.bindText(7, row.decision)
        statement.bindBlob(8, row.reasons)
        statement.bindBlob(9, row.outflows)
        statement.bindBlob(10, row.signature)
        statement.bind(11, row.policyVersion)
        statement.bindText(12, row.clientReference)
        statement.bindBlob(13, previousHash)
        statement.bindBlob(14, hash)
    }

    /// A row as read: the fields as hashed, the stored links, and the decoded event.
    struct StoredRow {
        var chainRow: ChainRow
        var event: LedgerEvent
    }

    /// Decodes the row the statement is on; its columns must be `LedgerSchema.columns` in order.
    static func read(_ statement: SQLiteStatement) throws(LedgerError) -> StoredRow {
        guard statement.columnType(0) == .integer, statement.int64(0) >= 1 else {
            throw LedgerError(.corrupt, "a row's sequence is not a positive integer", sequence: nil)
        }
        let sequence = statement.uint64(0)
        let column = ColumnReader(statement: statement, sequence: sequence)

        let time = try column.integer(1, "time_ms")
        let kindBytes = try column.text(2, "kind")
        guard let kind = strictUTF8(kindBytes).flatMap(LedgerEventKind.init(rawValue:)) else {
            throw LedgerError(.corrupt, "row \(sequence): unknown kind \(String(decoding: kindBytes, as: UTF8.self).debugDescription)", sequence: sequence)
        }
        let request = try column.blob(3, "request")
        let requestDigest = try column.blob(4, "request_digest", lengths: [32])
        let messageDigest = try column.blob(5, "message_digest", lengths: [0, 32])
        let decisionBytes = try column.text(6, "decision")
        let reasonsBlob = try column.blob(7, "reasons")
        let outflowsBlob = try column.blob(8, "outflows")
        let signature = try column.blob(9, "signature", lengths: [0, 64])
        let policyVersion = try column.integer(10, "policy_version")
        let clientReferenceBytes = try column.text(11, "client_reference")
        let previousHash = try column.blob(12, "previous_hash", lengths: [32])
        let hash = try column.blob(13, "hash", lengths: [32])

        let reasons: [LedgerReason]
        let outflows: [LedgerOutflow]
        do {
            reasons = try CanonicalLists.decodeReasons(reasonsBlob)
        } catch {
            throw LedgerError(.corrupt, "row \(sequence): reasons: \(error.message)", sequence: sequence)
        }
        do {
            outflows = try CanonicalLists.decodeOutflows(outflowsBlob)
        } catch {
            throw LedgerError(.corrupt, "row \(sequence): outflows: \(error.message)", sequence: sequence)
        }
        let decision = try column.utf8(decisionBytes, "decision")
        let clientReference = try column.utf8(clientReferenceBytes, "client_reference")

        let entry = LedgerEntry(
            kind: kind, timeUnixMilliseconds: time, request: request, requestDigest: requestDigest,
            messageDigest: messageDigest, decision: decision, reasons: reasons, outflows: outflows,
            signature: signature, policyVersion: policyVersion, clientReference: clientReference
        )
        let chainRow = ChainRow(
            sequence: sequence, timeUnixMilliseconds: time, kind: kindBytes, request: request,
            requestDigest: requestDigest, messageDigest: messageDigest, decision: decisionBytes,
            reasons: reasonsBlob, outflows: outflowsBlob, signature: signature,
            policyVersion: policyVersion, clientReference: clientReferenceBytes
        )
        return StoredRow(
            chainRow: chainRow,
            event: LedgerEvent(sequence: sequence, entry: entry, previousHash: previousHash, hash: hash)
        )
    }
}

/// Typed, checked access to one row's columns, naming the row and column in errors.
private struct ColumnReader {
    let statement: SQLiteStatement
    let sequence: UInt64

    func integer(_ index: Int32, _ name: String) throws(LedgerError) -> UInt64 {
        try expect(index, .integer, name)
        return statement.uint64(index)
    }

    func text(_ index: Int32, _ name: String) throws(LedgerError) -> [UInt8] {
        try expect(index, .text, name)
        return statement.textBytes(index)
    }

    func blob(_ index: Int32, _ name: String, lengths: [Int]? = nil) throws(LedgerError) -> [UInt8] {
        try expect(index, .blob, name)
        let bytes = statement.blob(index)
        if let lengths, !lengths.contains(bytes.count) {
            let wanted = lengths.map(String.init).joined(separator: " or ")
            throw LedgerError(.corrupt, "row \(sequence): \(name) is \(bytes.count) bytes (want \(wanted))", sequence: sequence)
        }
        return bytes
    }

    func utf8(_ bytes: [UInt8], _ name: String) throws(LedgerError) -> String {
        guard let text = strictUTF8(bytes) else {
            throw LedgerError(.corrupt, "row \(sequence): \(name) is not valid UTF-8", sequence: sequence)
        }
        return text
    }

    private func expect(_ index: Int32, _ type: SQLiteStatement.ColumnType, _ name: String) throws(LedgerError) {
        let actual = statement.columnType(index)
        guard actual == type else {
            throw LedgerError(.corrupt, "row \(sequence): \(name) is \(actual), not \(type)", sequence: sequence)
        }
    }
}
