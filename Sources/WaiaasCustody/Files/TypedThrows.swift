/// Array's withUnsafe(Mutable)Bytes are `rethrows`, which erases typed
/// throws to `any Error`; these carry KeystoreError through them intact.
extension Array where Element == UInt8 {
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(KeystoreError) -> R) throws(KeystoreError) -> R {
        try withUnsafeBytes { bytes in Result { () throws(KeystoreError) in try body(bytes) } }.get()
    }

    mutating func withMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws(KeystoreError) -> R) throws(KeystoreError) -> R {
        try withUnsafeMutableBytes { bytes in Result { () throws(KeystoreError) in try body(bytes) } }.get()
    }
}
