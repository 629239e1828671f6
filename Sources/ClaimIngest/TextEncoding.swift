/// The text encodings an export can come in. Whatever the encoding, the CSV reader
/// sees UTF-8: the other encodings are transcoded while the input streams
/// (`TextTranscoder`).
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    /// Excel's "Unicode Text" export, with a byte order mark `FF FE`.
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    /// What Windows programs write when they write no Unicode: `José` as `4A 6F 73 E9`.
    case windows1252 = "windows-1252"

    /// How much of an input's head is looked at to choose between UTF-8 and Windows-1252.
    public static let sniffedBytes = 64 << 10

    /// An encoding named as a user writes it: `utf-8`, `UTF8`, `utf-16le`, `windows-1252`,
    /// `cp1252`.
    public init?(name: String) {
        let key = name.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "utf8": self = .utf8
        case "utf16le": self = .utf16LE
        case "utf16be": self = .utf16BE
        case "windows1252", "cp1252": self = .windows1252
        default: return nil
        }
    }

    /// Whether a file in this encoding can be cut at a line-feed byte into ranges that
    /// are read on several cores: true for the encodings where byte 0x0A is always a
    /// line feed and a character never spans it.
    public var isSplittable: Bool {
        self == .utf8 || self == .windows1252
    }

    /// The encoding of an input from its first bytes: a UTF-16 byte order mark names
    /// UTF-16; otherwise text that is not valid UTF-8 is Windows-1252, and all else
    /// (ASCII, UTF-8 with or without its byte order mark) is UTF-8. Text that holds
    /// more valid UTF-8 characters beyond ASCII than bytes that are not UTF-8 is UTF-8
    /// with a few damaged bytes (those are replaced), not Windows-1252, whose accented
    /// letters almost never pair up into valid UTF-8. `isWhole` says that `head` is the
    /// whole input, so that a sequence cut at its end is invalid.
    public static func sniff(_ head: UnsafeRawBufferPointer, isWhole: Bool) -> TextEncoding {
        if head.count >= 2 {
            if head[0] == 0xFF && head[1] == 0xFE { return .utf16LE }
            if head[0] == 0xFE && head[1] == 0xFF { return .utf16BE }
        }
        let (valid, invalid) = utf8Sequences(head, isWhole: isWhole)
        return invalid > 0 && invalid >= valid ? .windows1252 : .utf8
    }

    /// How many characters beyond ASCII in `bytes` are valid UTF-8 (RFC 3629: no
    /// overlong forms, no surrogates, nothing past U+10FFFF), and how many bytes start
    /// no valid sequence. A sequence cut at the end is neither, unless `isWhole`.
    static func utf8Sequences(_ bytes: UnsafeRawBufferPointer, isWhole: Bool) -> (valid: Int, invalid: Int) {
        var index = 0
        var valid = 0
        var invalid = 0
        let count = bytes.count
        scan: while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: (length, low) = (3, 0xA0)
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: (length, high) = (3, 0x9F)
            case 0xF0: (length, low) = (4, 0x90)
            case 0xF1...0xF3: length = 4
            case 0xF4: (length, high) = (4, 0x8F)
            default:
                invalid += 1
                index += 1
                continue scan
            }
            for offset in 1..<length {
                guard index + offset < count else {
                    if isWhole { invalid += 1 }
                    break scan
                }
                let byte = bytes[index + offset]
                let (min, max) = offset == 1 ? (low, high) : (0x80, 0xBF)
                guard byte >= min && byte <= max else {
                    invalid += 1
                    index += 1
                    continue scan
                }
            }
            valid += 1
            index += length
        }
        return (valid, invalid)
    }
}
