/// The code measurement a report carries: SHA-384 of the running executable
/// and of the effective configuration.
public enum CodeMeasurer {
    /// Hashed once, on first use: the executable does not change under a
    /// running process (a replaced file is a new inode; /proc/self/exe
    /// still names the one that runs), and it is several megabytes.
    private static let executable: Result<[UInt8], AttestationError> = Result { () throws(AttestationError) in
        try Digest.sha384(fileAtPath: "/proc/self/exe")
    }

    public static func executableSHA384() throws(AttestationError) -> [UInt8] { try executable.get() }

    public static func configurationSHA384(_ configuration: [UInt8]) -> [UInt8] { Digest.sha384(configuration) }
}
