import ClaimModel

/// Text made safe for `report.html` and its charts.
///
/// Claim exports are untrusted: a claim id, a payer name or a file name may hold
/// markup. Every value that reaches the page passes through `escape`, which is safe
/// both between tags and inside a quoted attribute value (OWASP XSS Prevention Cheat
/// Sheet, rules 1 and 2). The same escaping serves the inline SVG, which is XML.
enum HTMLText {
    /// `text` with `& < > " '` replaced by character references.
    ///
    /// Characters XML 1.0 forbids (C0 controls other than tab and newlines) become
    /// U+FFFD, so that a stray control byte in an export cannot break the SVG parser.
    /// `breakingAfter` adds a line-break opportunity (`<wbr/>`) after those characters,
    /// for long paths and identifiers in narrow columns; only for text, never attributes.
    static func escape(_ text: String, breakingAfter breaks: Set<Unicode.Scalar> = []) -> String {
        // Most values need nothing: no markup, no control character, no break asked for.
        if breaks.isEmpty && !text.utf8.contains(where: mayNeedEscaping) { return text }
        // Breaks are asked after ASCII punctuation: looked up in a bitmap, not hashed
        // for every character.
        var asciiBreaks: (low: UInt64, high: UInt64) = (0, 0)
        var otherBreaks: Set<Unicode.Scalar> = []
        for scalar in breaks {
            switch scalar.value {
            case 0..<64: asciiBreaks.low |= 1 << UInt64(scalar.value)
            case 64..<128: asciiBreaks.high |= 1 << UInt64(scalar.value - 64)
            default: otherBreaks.insert(scalar)
            }
        }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0xFFFE...0xFFFF).contains(scalar.value):
                out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
            let isBreak =
                switch scalar.value {
                case 0..<64: asciiBreaks.low & (1 << UInt64(scalar.value)) != 0
                case 64..<128: asciiBreaks.high & (1 << UInt64(scalar.value - 64)) != 0
                default: !otherBreaks.isEmpty && otherBreaks.contains(scalar)
                }
            if isBreak { out += "<wbr/>" }
        }
        return out
    }

    /// Bytes of UTF-8 that `escape` may change: markup characters, controls other than
    /// tab and line breaks, and 0xEF, which starts U+FFFE and U+FFFF (and other
    /// characters, which the slow path then leaves as they are).
    @inline(__always)
    private static func mayNeedEscaping(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"), 0x7F, 0xEF:
            return true
        case UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
            return false
        default:
            return byte < 0x20
        }
    }

    /// `$1,234.50`: amounts for people, grouped by thousands. Machine exports keep
    /// `Money.description`.
    static func dollars(_ money: Money) -> String {
        let cents = money.cents.magnitude
        let fraction = cents % 100
        return "\(money.cents < 0 ? "-" : "")$\(grouped(cents / 100)).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// `12,345`: counts for people.
    static func count(_ value: Int) -> String {
        (value < 0 ? "-" : "") + grouped(UInt64(value.magnitude))
    }

    private static func grouped(_ value: UInt64) -> String {
        let digits = String(value)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }
}
