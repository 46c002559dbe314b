internal import WaiaasSolana

/// The one place this module touches WaiaasSolana's Base58, so the
/// dependency stays internal (no WaiaasSolana type in this module's API).
enum Base58Text {
    static func encode(_ bytes: [UInt8]) -> String { Base58.encode(bytes) }
    static func decode(_ text: String) -> [UInt8]? { Base58.decode(text) }
}
