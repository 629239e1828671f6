import ClaimModel

/// Parsers that read a field's raw bytes and build no `String`: they run on every
/// row of a claim dump, so they use plain integer arithmetic.
enum FieldParsers {
    /// The bytes without leading and trailing spaces or tabs.
    static func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = b.count
        while start < end && (b[start] == 0x20 || b[start] == 0x09) { start += 1 }
        while end > start && (b[end - 1] == 0x20 || b[end - 1] == 0x09) { end -= 1 }
        return UnsafeBufferPointer(rebasing: b[start..<end])
    }

    /// Values that exports use for "no value" in optional columns; `~` is CCLF's placeholder.
    static func isNullToken(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        switch b.count {
        case 0: return true
        case 1: return b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "~")
        case 2: return lower(b[0]) == 0x6E && lower(b[1]) == 0x61  // NA
        case 3: return lower(b[0]) == 0x6E && b[1] == UInt8(ascii: "/") && lower(b[2]) == 0x61  // N/A
        case 4:
            return lower(b[0]) == 0x6E && lower(b[1]) == 0x75 && lower(b[2]) == 0x6C && lower(b[3]) == 0x6C  // NULL
        default: return false
        }
    }

    /// Whether every byte is ASCII, eight at a time.
    @inline(__always) static func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index + 8 <= b.count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < b.count {
            if b[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    /// Trimmed text: the bytes themselves when they are ASCII (upper-cased as they are
    /// written, when asked); otherwise a string, in which invalid UTF-8 becomes U+FFFD
    /// rather than stopping the run.
    @inline(__always)
    static func text(_ bytes: UnsafeBufferPointer<UInt8>, upperCased: Bool = false) -> SpillText {
        let trimmed = trimmed(bytes)
        if isASCII(trimmed) { return .bytes(trimmed, upperCased: upperCased) }
        let value = String(decoding: trimmed, as: UTF8.self)
        return .string(upperCased ? value.uppercased() : value)
    }

    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }

    @inline(__always) static func digit(_ byte: UInt8) -> Int? {
        byte >= 0x30 && byte <= 0x39 ? Int(byte &- 0x30) : nil
    }

    /// Reads `count` digits starting at `index`.
    static func number(_ b: UnsafeBufferPointer<UInt8>, _ index: Int, _ count: Int) -> Int? {
        guard index + count <= b.count else { return nil }
        var value = 0
        for i in index..<(index + count) {
            guard let d = digit(b[i]) else { return nil }
            value = value * 10 + d
        }
        return value
    }

    // MARK: Dates

    /// Parses `YYYY-MM-DD`, `YYYYMMDD`, `MM/DD/YYYY`, `M/D/YYYY`, `YYYY/MM/DD` and
    /// `DD-MON-YYYY`. A time after a space or a `T` is ignored; claims carry dates.
    static func date(_ field: UnsafeBufferPointer<UInt8>) -> ServiceDate? {
        var b = trimmed(field)
        if let cut = b.firstIndex(where: { $0 == 0x20 || $0 == UInt8(ascii: "T") }), cut >= 8 {
            b = UnsafeBufferPointer(rebasing: b[0..<cut])
        }
        switch b.count {
        case 8:
            if let y = number(b, 0, 4), let m = number(b, 4, 2), let d = number(b, 6, 2) {
                return ServiceDate(year: y, month: m, day: d)
            }
            return slashDate(b)
        case 10
        where (b[4] == UInt8(ascii: "-") && b[7] == UInt8(ascii: "-"))
            || (b[4] == UInt8(ascii: "/") && b[7] == UInt8(ascii: "/")):
            guard let y = number(b, 0, 4), let m = number(b, 5, 2), let d = number(b, 8, 2) else { return nil }
            return ServiceDate(year: y, month: m, day: d)
        default:
            return slashDate(b) ?? monthNameDate(b)
        }
    }

    /// `M/D/YYYY` with one- or two-digit month and day.
    private static func slashDate(_ b: UnsafeBufferPointer<UInt8>) -> ServiceDate? {
        guard let first = b.firstIndex(of: UInt8(ascii: "/")),
            let second = b[(first + 1)...].firstIndex(of: UInt8(ascii: "/")),
            (1...2).contains(first), (1...2).contains(second - first - 1), b.count - second - 1 == 4,
            let m = number(b, 0, first), let d = number(b, first + 1, second - first - 1),
            let y = number(b, second + 1, 4)
        else { return nil }
        return ServiceDate(year: y, month: m, day: d)
    }

    /// `DD-MON-YYYY`, as Oracle-based systems export it (`05-OCT-2026`).
    private static func monthNameDate(_ b: UnsafeBufferPointer<UInt8>) -> ServiceDate? {
        guard let dash = b.firstIndex(of: UInt8(ascii: "-")), (1...2).contains(dash),
            b.count == dash + 9, b[dash + 4] == UInt8(ascii: "-"),
            let d = number(b, 0, dash), let y = number(b, dash + 5, 4)
        else { return nil }
        let key = (Int(lower(b[dash + 1])) << 16) | (Int(lower(b[dash + 2])) << 8) | Int(lower(b[dash + 3]))
        guard let m = monthAbbreviations[key] else { return nil }
        return ServiceDate(year: y, month: m, day: d)
    }

    private static let monthAbbreviations: [Int: Int] = {
        let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        var table: [Int: Int] = [:]
        for (index, name) in names.enumerated() {
            let u = Array(name.utf8)
            table[(Int(u[0]) << 16) | (Int(u[1]) << 8) | Int(u[2])] = index + 1
        }
        return table
    }()

    // MARK: Numbers

    /// Units: a whole number from -999,999,999 to 999,999,999. `2.0` is accepted as 2 and
    /// CCLF's zero-padded `000000000000000004.0000` as 4; `1.5`, `+1` and `1e9` are not.
    /// Negative units are a reversal of an earlier line (see `LineReconciliation`).
    static func units(_ field: UnsafeBufferPointer<UInt8>) -> Int? {
        let b = trimmed(field)
        guard !b.isEmpty else { return nil }
        var index = 0
        let negative = b[0] == UInt8(ascii: "-")
        if negative { index += 1 }
        var value = 0
        var digits = 0
        while index < b.count, let d = digit(b[index]) {
            value = value * 10 + d
            index += 1
            // Leading zeros carry nothing, so they do not count towards the limit.
            if value > 0 { digits += 1 }
            if digits > 9 { return nil }
        }
        guard index > (negative ? 1 : 0) else { return nil }
        if index < b.count {
            guard b[index] == UInt8(ascii: ".") else { return nil }
            index += 1
            while index < b.count {
                guard b[index] == UInt8(ascii: "0") else { return nil }
                index += 1
            }
        }
        return negative ? -value : value
    }

    /// A positive whole number such as a claim line number; CCLF pads it with zeros (`0000000001`).
    static func wholeNumber(_ field: UnsafeBufferPointer<UInt8>) -> Int? {
        var b = trimmed(field)
        while b.count > 1 && b[0] == UInt8(ascii: "0") { b = UnsafeBufferPointer(rebasing: b[1...]) }
        guard !b.isEmpty, b.count <= 9 else { return nil }
        return number(b, 0, b.count)
    }

    /// Money such as `1234.5`, `$1,234.56`, `-12.00` or `(12.00)`, exactly in cents.
    /// Extra decimal places must be zeros (`150.0000`).
    static func money(_ field: UnsafeBufferPointer<UInt8>) -> Money? {
        var b = trimmed(field)
        var negative = false
        if b.count >= 2 && b[0] == UInt8(ascii: "(") && b[b.count - 1] == UInt8(ascii: ")") {
            negative = true
            b = UnsafeBufferPointer(rebasing: b[1..<(b.count - 1)])
        }
        var index = 0
        if index < b.count && b[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        if index < b.count && b[index] == UInt8(ascii: "$") { index += 1 }
        var dollars: Int64 = 0
        var digits = 0
        var sawDigit = false
        while index < b.count {
            if let d = digit(b[index]) {
                dollars = dollars * 10 + Int64(d)
                // CCLF pads amounts with leading zeros (`000000000000000000.00`).
                if dollars > 0 { digits += 1 }
                guard digits <= 13 else { return nil }
            } else if b[index] != UInt8(ascii: ",") || !sawDigit {
                break
            }
            if digit(b[index]) != nil { sawDigit = true }
            index += 1
        }
        var cents: Int64 = 0
        if index < b.count && b[index] == UInt8(ascii: ".") {
            index += 1
            var places = 0
            while index < b.count, let d = digit(b[index]) {
                if places < 2 {
                    cents = cents * 10 + Int64(d)
                } else if d != 0 {
                    return nil
                }
                places += 1
                index += 1
            }
            if places == 1 { cents *= 10 }
            guard places > 0 || sawDigit else { return nil }
        } else if !sawDigit {
            return nil
        }
        guard index == b.count else { return nil }
        let total = dollars * 100 + cents
        return Money(cents: negative ? -total : total)
    }

    // MARK: Codes

    /// The code of a code field, and the modifiers written onto it. Exports write
    /// `62369 - Refill pump`, `62369 Refill pump` or `62369-refill`: a five-character code
    /// followed by a space, or by a hyphen and text, is the code with a description,
    /// which is dropped. `62369-59` and `62369-59-XU` are the code with its modifiers
    /// (two characters each, hyphen-joined, nothing else). Anything else is returned whole.
    static func code(_ field: UnsafeBufferPointer<UInt8>) -> (
        code: UnsafeBufferPointer<UInt8>, modifiers: UnsafeBufferPointer<UInt8>
    ) {
        let b = trimmed(field)
        let none = UnsafeBufferPointer(rebasing: b[b.count...])
        var length = 0
        while length < b.count && isAlphanumeric(b[length]) { length += 1 }
        guard length == 5, length < b.count else { return (b, none) }
        let code = UnsafeBufferPointer(rebasing: b[0..<5])
        switch b[5] {
        case 0x20, 0x09:
            return (code, none)
        case UInt8(ascii: "-"):
            let rest = UnsafeBufferPointer(rebasing: b[6...])
            return (code, isModifierList(rest) ? rest : none)
        default:
            return (b, none)
        }
    }

    /// `59`, `59-XU`: two-character modifiers joined by hyphens, nothing more.
    private static func isModifierList(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count >= 2, (b.count + 1) % 3 == 0 else { return false }
        for index in 0..<b.count {
            let isSeparator = index % 3 == 2
            guard isSeparator ? b[index] == UInt8(ascii: "-") : isAlphanumeric(b[index]) else { return false }
        }
        return true
    }

    @inline(__always) private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        digit(byte) != nil || (lower(byte) >= 0x61 && lower(byte) <= 0x7A)
    }

    /// A non-negative decimal such as a volume in millilitres (`40`, `0.5`, `19.75`).
    static func decimal(_ field: UnsafeBufferPointer<UInt8>) -> Double? {
        let b = trimmed(field)
        var whole = 0.0
        var fraction = 0.0
        var scale = 1.0
        var seenPoint = false
        var digits = 0
        for byte in b {
            if let d = digit(byte) {
                digits += 1
                guard digits <= 15 else { return nil }
                if seenPoint {
                    scale /= 10
                    fraction += Double(d) * scale
                } else {
                    whole = whole * 10 + Double(d)
                }
            } else if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else {
                return nil
            }
        }
        return digits > 0 ? whole + fraction : nil
    }
}
