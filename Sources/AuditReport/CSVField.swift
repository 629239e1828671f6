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
        var text = value
        if let first = text.unicodeScalars.first, formulaTriggers.contains(first), !isPlainNumber(text) {
            text = "'" + text
        }
        let needsQuotes = text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Appends `value` encoded to `out`: the value itself, unless it needs quotes or
    /// starts like a formula, and then what `encode` makes of it.
    static func append(_ value: String, to out: inout String) {
        if let first = value.utf8.first,
            first == 0x3D || first == 0x2B || first == 0x2D || first == 0x40
                || first == 0x09 || first == 0x0D || first == 0xEF  // the full-width signs start EF BC
        {
            out += encode(value)
        } else if value.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            out += encode(value)
        } else {
            out += value
        }
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
