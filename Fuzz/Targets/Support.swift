// Compiled into every fuzz target (Tools/fuzz.sh). libFuzzer calls
// LLVMFuzzerTestOneInput; a trap, a failed `fuzzCheck` or an ASan report is
// a crash it keeps as crash-<sha1>.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fuzz input as bytes (libFuzzer may pass a dangling pointer for size 0).
func fuzzBytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
}

/// An invariant of the code under test: when it fails, say which and stop
/// the process, so libFuzzer records the input as a crash.
func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
               file: StaticString = #fileID, line: UInt = #line) {
    guard !condition() else { return }
    fuzzLog("fuzz invariant failed (\(file):\(line)): \(message())")
    abort()
}

/// Whether an environment variable is set to a non-empty value other than 0.
func fuzzFlag(_ name: String) -> Bool {
    guard let value = getenv(name) else { return false }
    let text = String(cString: value)
    return !text.isEmpty && text != "0"
}

/// A line on standard error (unbuffered, so it precedes libFuzzer's report).
func fuzzLog(_ text: String) {
    var line = Array((text + "\n").utf8)
    line.withUnsafeMutableBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}
