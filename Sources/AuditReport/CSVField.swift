/// Encodes values as RFC 4180 CSV fields that are safe to open in a spreadsheet.
///
/// Reports hold values taken from claim exports. A cell that begins with `=`, `+`,
/// `-`, `@`, a tab or a carriage return may run as a formula in Excel or LibreOffice
/// (OWASP, "CSV Injection"), and so may one that begins with their full-width forms
/// (`＝`, `＋`, `－`, `＠`, which some spreadsheets read as the ASCII signs when the
/// file is opened in an East Asian locale), so such a cell gets a leading apostrophe, which
/// spreadsheets show as text and do not evaluate. A plain number such as `-12.50`
/// is data, not a formula, and is left as it is so that amounts stay numeric.
public enum CSVField {
    public static func encode(_ value: String) -> String {
        var out = ""
        append(value, to: &out)
        return out
    }

    /// Appends `value` encoded to `out`, piece by piece: a field that needs neither
    /// quotes nor an apostrophe, as most do, is copied as it is.
    static func append(_ value: String, to out: inout String) {
        let utf8 = value.utf8
        // Every trigger is ASCII but the full-width signs, whose UTF-8 starts with EF.
        let first = utf8.first
        let apostrophe =
            (first == 0x3D || first == 0x2B || first == 0x2D || first == 0x40 || first == 0x09 || first == 0x0D
                || first == 0xEF)
            && formulaTriggers.contains(value.unicodeScalars.first!) && !isPlainNumber(value)
        let needsQuotes =
            utf8.withContiguousStorageIfAvailable { $0.contains(where: isQuoteTrigger) }
            ?? utf8.contains(where: isQuoteTrigger)
        guard apostrophe || needsQuotes else {
            out += value
            return
        }
        if needsQuotes { out += "\"" }
        if apostrophe { out += "'" }
        guard needsQuotes else {
            out += value
            return
        }
        // Each quote doubled: runs up to and including a quote are copied whole.
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            let next = utf8.index(after: index)
            if utf8[index] == 0x22 {
                out.append(contentsOf: value[start..<next])
                out += "\""
                start = next
            }
            index = next
        }
        out.append(contentsOf: value[start...])
        out += "\""
    }

    /// A comma, a quote, a line feed or a carriage return: what makes a field need quotes.
    private static func isQuoteTrigger(_ byte: UInt8) -> Bool {
        byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D
    }

    /// One CSV line (with its LF) from fields.
    public static func row(_ fields: [String]) -> String {
        fields.map(encode).joined(separator: ",") + "\n"
    }

    private static let formulaTriggers: Set<Unicode.Scalar> = [
        "=", "+", "-", "@", "\t", "\r",
        // Full-width equals, plus, hyphen-minus and commercial at (U+FF1D, U+FF0B, U+FF0D, U+FF20).
        "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}",
    ]

    /// `-12`, `-12.50`, `+3`: a signed decimal and nothing else.
    static func isPlainNumber(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars.dropFirst()
        guard text.unicodeScalars.first == "-" || text.unicodeScalars.first == "+", !scalars.isEmpty else {
            return false
        }
        var seenDigit = false
        var seenPoint = false
        while let scalar = scalars.popFirst() {
            if ("0"..."9").contains(scalar) {
                seenDigit = true
            } else if scalar == "." && !seenPoint {
                seenPoint = true
            } else {
                return false
            }
        }
        return seenDigit
    }
}
