/// The check `Ledger.open` makes before trusting a file's last row as the
/// head: its hash recomputes, and it links to the row before. A full check of
/// every row is `LedgerVerifier`'s job (too slow for every start).
enum HeadCheck {
    static func head(of db: SQLiteConnection, path: String) throws(LedgerError) -> LedgerHead {
        guard let last = try lastRow(db, path: path) else { return .empty }
        let event = last.event
        guard LedgerChain.hash(previous: event.previousHash, row: last.chainRow) == event.hash else {
            throw corrupt(path, event.sequence, "its hash does not match its contents")
        }
        if event.sequence == 1 {
            guard event.previousHash == LedgerChain.genesisHash else {
                throw corrupt(path, 1, "the first row's previous hash is not 32 zero bytes")
            }
        } else {
            guard let before = try hash(db, of: event.sequence - 1) else {
                throw corrupt(path, event.sequence - 1, "the row before the last is missing or has no hash")
            }
            guard before == event.previousHash else {
                throw corrupt(path, event.sequence, "its previous hash is not the hash of row \(event.sequence - 1)")
            }
        }
        return LedgerHead(sequence: event.sequence, hash: event.hash)
    }

    private static func lastRow(_ db: SQLiteConnection, path: String) throws(LedgerError) -> LedgerRowCodec.StoredRow? {
        let statement: SQLiteStatement
        do throws(SQLiteError) {
            statement = try db.prepare("SELECT \(LedgerSchema.columns) FROM ledger ORDER BY sequence DESC LIMIT 1")
            guard try statement.step() else { return nil }
        } catch {
            throw .storage(error)
        }
        do throws(LedgerError) {
            return try LedgerRowCodec.read(statement)
        } catch {
            throw LedgerError(.corrupt, "\(path): last row: \(error.message); run `waiaas ledger verify`", sequence: error.sequence)
        }
    }

    private static func hash(_ db: SQLiteConnection, of sequence: UInt64) throws(LedgerError) -> [UInt8]? {
        do throws(SQLiteError) {
            let statement = try db.prepare("SELECT hash FROM ledger WHERE sequence = ?1")
            statement.bind(1, sequence)
            guard try statement.step(), statement.columnType(0) == .blob else { return nil }
            return statement.blob(0)
        } catch {
            throw .storage(error)
        }
    }

    private static func corrupt(_ path: String, _ sequence: UInt64, _ why: String) -> LedgerError {
        LedgerError(.corrupt, "\(path): row \(sequence): \(why); run `waiaas ledger verify`", sequence: sequence)
    }
}
