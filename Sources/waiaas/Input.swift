import Foundation

/// Reads a command's input: the argument itself, or stdin for "-".
enum CLIInput {
    static func text(_ argument: String) -> String {
        guard argument == "-" else { return argument }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The bytes `argument` stands for, read strictly: a base58 string can
    /// also be valid base64 (about one in four), so each reading that exists
    /// is parsed with `parses`, and exactly one must pass. Never a guess.
    static func bytes(_ argument: String, what: String, parses: ([UInt8]) -> Bool) throws(CLIFailure) -> [UInt8] {
        let readings = DecodeCommand.candidates(self.text(argument), .auto)
        guard !readings.isEmpty else { throw CLIFailure(.input, "\(what) is neither base64 nor base58") }
        let valid = readings.filter(parses)
        switch Set(valid).count {
        case 1: return valid[0]
        case 0: throw CLIFailure(.input, "\(what) does not decode to a valid \(what == "--tx" ? "transaction" : "off-chain message") as base64 or as base58")
        default: throw CLIFailure(.input, "\(what) reads as a valid input both as base64 and as base58; give it in one unambiguous encoding")
        }
    }
}
