// Names for lang=swift: Swift identifiers following the API design
// guidelines, and the C identifiers protoc-c gives the same elements.

/// Words written in capitals inside a Swift name ("call_id" → "callID").
private let swiftInitialisms: Set<String> = ["id", "url", "uri", "json", "rpc", "uid", "pid", "sha256", "sha384", "sha512", "utf8"]
/// Abbreviations a Swift name spells out ("timeout_ms" → "timeoutMilliseconds").
private let swiftExpansions: [String: String] = ["ms": "Milliseconds"]

/// Swift keywords that need backticks as identifiers.
private let swiftKeywords: Set<String> = [
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
    "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static", "struct",
    "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough",
    "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while", "as", "Any", "catch", "false", "is",
    "nil", "super", "self", "Self", "throw", "throws", "true", "try", "Type", "Protocol",
]

/// A proto field or oneof name as a Swift property: "executable_sha384" → "executableSHA384".
func swiftPropertyName(_ protoName: String) -> String {
    let words = protoName.split(separator: "_").map { $0.lowercased() }
    guard let first = words.first else { return protoName }
    return first + words.dropFirst().map { word in
        if swiftInitialisms.contains(word) { return word.uppercased() }
        if let spelled = swiftExpansions[word] { return spelled }
        return word.prefix(1).uppercased() + word.dropFirst()
    }.joined()
}

/// A message or enum as a Swift type: "SignRequest" stays, a nested
/// "Envelope.MetadataEntry" becomes "Envelope_MetadataEntry".
func swiftTypeName(_ flatName: String) -> String { flatName.replacingDots(with: "_") }

/// A oneof as the Swift enum that holds its cases: "payload" → "Payload".
func swiftOneofTypeName(_ oneofName: String) -> String {
    let property = swiftPropertyName(oneofName)
    return property.prefix(1).uppercased() + property.dropFirst()
}

/// An RPC method as a Swift member (client method, handler, method-path
/// case): "GetStatus" becomes "getStatus".
func swiftMethodName(_ name: String) -> String { swiftIdentifier(lowerCamel(name)) }

/// An identifier, backticked when it is a keyword.
func swiftIdentifier(_ name: String) -> String { swiftKeywords.contains(name) ? "`\(name)`" : name }

/// A proto enum value as a Swift static member: DECISION_APPROVAL_REQUIRED in
/// enum Decision → "approvalRequired" (the enum's own prefix is dropped).
func swiftEnumCaseName(_ value: String, enumName: String) -> String {
    let name = swiftPropertyName(enumShortValueName(value, enumName: enumName).lowercased())
    return name.first?.isNumber == true ? "_" + name : name
}

/// DECISION_APPROVAL_REQUIRED in enum Decision → "APPROVAL_REQUIRED".
func enumShortValueName(_ value: String, enumName: String) -> String {
    let prefix = snakeCase(enumName).uppercased() + "_"
    return value.hasPrefix(prefix) && value.count > prefix.count ? String(value.dropFirst(prefix.count)) : value
}

/// Turns a .proto comment into `///` lines at `indentation`.
func swiftDocComment(_ comment: String, indentation: Int = 0) -> String {
    guard !comment.isEmpty else { return "" }
    let pad = String(repeating: " ", count: indentation)
    return comment.split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.isEmpty ? "\(pad)///\n" : "\(pad)/// \($0)\n" }.joined()
}

// MARK: - protoc-c's names (protobuf-c's c_helpers: FullNameToC, FullNameToLower, FullNameToUpper)

/// protoc-c appends `_` to a field whose name is a C or C++ keyword ("default" → "default_").
private let protocCKeywords: Set<String> = [
    "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char", "class", "compl",
    "const", "const_cast", "continue", "default", "delete", "do", "double", "dynamic_cast", "else", "enum",
    "explicit", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int", "long", "mutable",
    "namespace", "new", "not", "not_eq", "operator", "or", "or_eq", "private", "protected", "public", "register",
    "reinterpret_cast", "return", "short", "signed", "sizeof", "static", "static_cast", "struct", "switch",
    "template", "this", "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
    "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
]

/// The member name protoc-c gives a field in its struct.
func protocCFieldName(_ protoName: String) -> String {
    protocCKeywords.contains(protoName) ? protoName + "_" : protoName
}

/// "waiaas.v1.Envelope.MetadataEntry" → "Waiaas__V1__Envelope__MetadataEntry".
func protocCTypeName(_ fullName: String) -> String {
    fullName.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "__")
}

/// "waiaas.v1.GetStatusRequest" → "waiaas__v1__get_status_request" (the prefix of its functions).
func protocCFunctionPrefix(_ fullName: String) -> String {
    fullName.split(separator: ".").map { protocCamelToLower(String($0)) }.joined(separator: "__")
}

/// protoc-c's CamelToLower: an underscore before each capital that follows a
/// non-capital, then lower case ("GetStatusRequest" → "get_status_request").
func protocCamelToLower(_ name: String) -> String {
    var out = ""
    var previousWasUpper = true
    for character in name {
        if character.isUppercase {
            if !previousWasUpper { out.append("_") }
            out.append(contentsOf: character.lowercased())
            previousWasUpper = true
        } else {
            out.append(character)
            previousWasUpper = false
        }
    }
    return out
}

extension String {
    func replacingDots(with separator: String) -> String {
        split(separator: ".", omittingEmptySubsequences: false).joined(separator: separator)
    }
}
