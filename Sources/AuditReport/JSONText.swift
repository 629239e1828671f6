/// JSON literals for the hand-written `findings.json`.
///
/// Values come from claim exports, so any text may hold quotes, backslashes or control
/// characters. Strings are escaped as RFC 8259 requires (`"`, `\` and U+0000–U+001F),
/// and also `<`, `>`, `&`, U+2028 and U+2029, so that the output can be pasted into an
/// HTML `<script>` block or evaluated as JavaScript without ending it early. Everything
/// else is written as UTF-8, unchanged: the same text always gives the same bytes.
enum JSONText {
    /// `text` as a quoted JSON string.
    static func string(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return "\"" + text + "\"" }
        var out = "\""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where needsEscape(scalar): out += unicodeEscape(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Appends `text` as a quoted JSON string to `out`, as `string` gives it.
    static func append(_ text: String, to out: inout String) {
        let utf8 = text.utf8
        if utf8.withContiguousStorageIfAvailable({ $0.contains(where: mayNeedEscape) })
            ?? utf8.contains(where: mayNeedEscape)
        {
            out += string(text)
        } else {
            out += "\""
            out += text
            out += "\""
        }
    }

    /// Every byte of a scalar `string` escapes: all are ASCII but the lead byte (E2)
    /// of U+2028 and U+2029, which other scalars share.
    private static func mayNeedEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x3C || byte == 0x3E || byte == 0x26 || byte == 0xE2
    }

    /// Appends `text` as a quoted JSON string, or `null` when there is no value.
    static func append(_ text: String?, to out: inout String) {
        if let text { append(text, to: &out) } else { out += "null" }
    }

    /// A quoted string, or `null` when there is no value.
    static func string(_ text: String?) -> String {
        text.map { string($0) } ?? "null"
    }

    /// An integer, or `null` when there is no value.
    static func number(_ value: Int?) -> String {
        value.map(String.init) ?? "null"
    }

    static func bool(_ value: Bool) -> String {
        value ? "true" : "false"
    }

    /// `["a", "b"]` on one line.
    static func array(_ texts: [String]) -> String {
        "[" + texts.map { string($0) }.joined(separator: ", ") + "]"
    }

    /// `{"key": value, ...}` on one line, keys in the order given. Values must already be JSON.
    static func object(_ members: KeyValuePairs<String, String>) -> String {
        object(Array(members))
    }

    /// An object whose members are known only as it is built, in the order given.
    static func object(_ members: [(key: String, value: String)]) -> String {
        "{" + members.map { string($0.key) + ": " + $0.value }.joined(separator: ", ") + "}"
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x22, 0x5C, 0x3C, 0x3E, 0x26, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// `\u001f`: four lower-case hex digits. Every escaped scalar is in the Basic
    /// Multilingual Plane, so no surrogate pair is ever needed.
    private static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
