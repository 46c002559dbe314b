/// The one error of the Solana codec, in the package's one error style
/// (docs/ARCHITECTURE.md, "Errors"): an extensible code whose string value
/// is stable (policy reasons, `waiaas decode` and tests match on it), a
/// sentence for the person reading it, and the byte where decoding stopped
/// when the failure has a position in the input.
public struct SolanaDecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// An instruction's account index is past the message's keys.
        public static let accountIndexOutOfRange = Code(rawValue: "account_index_out_of_range")
        /// The same account key is listed twice.
        public static let duplicateAccount = Code(rawValue: "duplicate_account")
        /// A Token-2022 batch with no entries.
        public static let emptyBatch = Code(rawValue: "empty_batch")
        /// There is nothing to decode.
        public static let emptyInput = Code(rawValue: "empty_input")
        /// A lookup-table entry loads no addresses.
        public static let emptyLookup = Code(rawValue: "empty_lookup")
        /// A decoder invariant failed; a bug, reported instead of trapping.
        public static let `internal` = Code(rawValue: "internal")
        /// A Token-2022 batch entry is malformed.
        public static let invalidBatch = Code(rawValue: "invalid_batch")
        /// A compact-u16 of more than three bytes or past 0xFFFF.
        public static let invalidCompactU16 = Code(rawValue: "invalid_compact_u16")
        /// A v1 message's config mask sets reserved bits.
        public static let invalidConfigMask = Code(rawValue: "invalid_config_mask")
        /// The text is not valid base64 or base58.
        public static let invalidEncoding = Code(rawValue: "invalid_encoding")
        /// A requested heap size that is not a multiple of 1 KiB within the runtime's bounds.
        public static let invalidHeapSize = Code(rawValue: "invalid_heap_size")
        /// A borsh/COption tag that is neither 0 nor 1.
        public static let invalidOption = Code(rawValue: "invalid_option")
        /// The first byte of a transaction is not a signature count.
        public static let invalidTransactionPrefix = Code(rawValue: "invalid_transaction_prefix")
        /// Text that must be UTF-8 is not.
        public static let invalidUTF8 = Code(rawValue: "invalid_utf8")
        /// A Token-2022 batch inside a batch.
        public static let nestedBatch = Code(rawValue: "nested_batch")
        /// The fee payer is not a writable signer.
        public static let noWritableFeePayer = Code(rawValue: "no_writable_fee_payer")
        /// A compact-u16 with a zero continuation byte: an alias encoding, refused so one message has one form.
        public static let nonCanonicalCompactU16 = Code(rawValue: "non_canonical_compact_u16")
        /// An instruction names fewer accounts than its layout needs.
        public static let notEnoughAccounts = Code(rawValue: "not_enough_accounts")
        /// An off-chain message with an empty body.
        public static let offchainEmpty = Code(rawValue: "offchain_empty")
        /// An off-chain message format other than 0, 1 or 2.
        public static let offchainFormatInvalid = Code(rawValue: "offchain_format_invalid")
        /// An off-chain message does not begin with the signing domain.
        public static let offchainHeaderMissing = Code(rawValue: "offchain_header_missing")
        /// The off-chain message's signing-domain prefix is not the one the version uses.
        public static let offchainMessagePrefix = Code(rawValue: "offchain_message_prefix")
        /// An off-chain message that names no signer.
        public static let offchainNoSigners = Code(rawValue: "offchain_no_signers")
        /// Format 0 allows printable ASCII only.
        public static let offchainNotAscii = Code(rawValue: "offchain_not_ascii")
        /// Bytes follow the off-chain message body.
        public static let offchainTrailingBytes = Code(rawValue: "offchain_trailing_bytes")
        /// An off-chain message ends inside its header or body.
        public static let offchainTruncated = Code(rawValue: "offchain_truncated")
        /// An off-chain header version other than 0.
        public static let offchainVersionUnsupported = Code(rawValue: "offchain_version_unsupported")
        /// The input is larger than the limit for what it claims to be.
        public static let oversize = Code(rawValue: "oversize")
        /// An instruction's program index is past the message's keys.
        public static let programIndexOutOfRange = Code(rawValue: "program_index_out_of_range")
        /// An instruction names the fee payer as its program.
        public static let programIndexZero = Code(rawValue: "program_index_zero")
        /// The number of signatures is not the number of required signers.
        public static let signatureCountMismatch = Code(rawValue: "signature_count_mismatch")
        /// More account keys than the version allows, or than a transaction can lock.
        public static let tooManyAccounts = Code(rawValue: "too_many_accounts")
        /// More instructions than the version allows.
        public static let tooManyInstructions = Code(rawValue: "too_many_instructions")
        /// More signatures than the version allows.
        public static let tooManySignatures = Code(rawValue: "too_many_signatures")
        /// Bytes follow the last field of the structure.
        public static let trailingBytes = Code(rawValue: "trailing_bytes")
        /// The input ends inside a field.
        public static let truncated = Code(rawValue: "truncated")
        /// A vault's transaction whose fee payer is not the vault.
        public static let vaultNotFeePayer = Code(rawValue: "vault_not_fee_payer")
        /// A vault's transaction needs a signer other than the vault and its ephemeral signers.
        public static let foreignSigner = Code(rawValue: "foreign_signer")
        /// A vault's transaction that loads accounts from lookup tables (not supported yet).
        public static let lookupsUnsupported = Code(rawValue: "lookups_unsupported")
        /// Account data whose Anchor discriminator is not the type expected.
        public static let wrongAccountType = Code(rawValue: "wrong_account_type")
        /// An instruction tag the program's decoder does not know.
        public static let unknownInstruction = Code(rawValue: "unknown_instruction")
        /// A message version this decoder does not know.
        public static let unsupportedVersion = Code(rawValue: "unsupported_version")
        /// Parts of the transaction disagree about its version.
        public static let versionMismatch = Code(rawValue: "version_mismatch")
        /// Formats 1 and 2 must be UTF-8.
        public static let offchainNotUTF8 = Code(rawValue: "offchain_not_utf8")
    }

    public var code: Code
    public var message: String
    /// The byte of the input where decoding stopped, when there is one.
    public var offset: Int?

    public init(_ code: Code, offset: Int? = nil, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String {
        if let offset {
            return "\(code) at byte \(offset): \(message)"
        }
        return "\(code): \(message)"
    }
}

extension SolanaDecodeError {
    // Codes used in more than one place, kept here so they cannot drift apart.
    static func truncated(at offset: Int, needed: Int, _ what: String) -> SolanaDecodeError {
        SolanaDecodeError(.truncated, offset: offset, "input ends while reading \(what) (\(needed) more byte(s) needed)")
    }
}
