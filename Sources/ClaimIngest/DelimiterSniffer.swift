/// Finds a file's field delimiter from its first records: comma, tab, pipe or
/// semicolon (European Excel, where the comma is the decimal separator).
///
/// Delimiters are counted outside quotes in each of the first `sampledRecords`
/// records (a quoted field may hold line breaks, so a record can span lines). The
/// delimiter that splits the most records into the same number of fields wins, and
/// among equals the one that makes more fields: the header and every data row agree
/// on their field count, where a title row above the header ("Claims report, October")
/// or a note with a stray semicolon does not. With no delimiter at all, a file is a
/// one-column comma file. Excel's hint line `sep=;` on the first line names the
/// delimiter outright (the header search then skips it as a title row).
public enum DelimiterSniffer {
    /// The delimiters found without configuration, in the order that wins a tie.
    public static let candidates: [UInt8] = [0x2C, 0x09, 0x7C, 0x3B]
    /// How many records are looked at: enough to pass the title rows above a header.
    public static let sampledRecords = 20

    /// The delimiter of `bytes`, the first bytes of a file (its UTF-8 byte order mark
    /// already skipped). A record cut at the end of `bytes` is not counted.
    public static func sniff(_ bytes: UnsafeRawBufferPointer, isWhole: Bool = false) -> UInt8 {
        if let hinted = excelHint(bytes) { return hinted }
        var perRecord: [[Int]] = []
        var counts = [Int](repeating: 0, count: candidates.count)
        var quoted = false
        var index = 0
        var recordHasText = false
        while index < bytes.count && perRecord.count < sampledRecords {
            let byte = bytes[index]
            index += 1
            if byte == 0x22 {
                quoted.toggle()
                recordHasText = true
            } else if !quoted && (byte == 0x0A || byte == 0x0D) {
                if recordHasText { perRecord.append(counts) }
                counts = [Int](repeating: 0, count: candidates.count)
                recordHasText = false
            } else if !quoted, let slot = candidates.firstIndex(of: byte) {
                counts[slot] += 1
                recordHasText = true
            } else {
                recordHasText = true
            }
        }
        if recordHasText && isWhole && !quoted { perRecord.append(counts) }
        // The first record alone decides when no whole record was read (one long header).
        if perRecord.isEmpty && recordHasText { perRecord.append(counts) }
        var best: (delimiter: UInt8, records: Int, fields: Int)?
        for (slot, delimiter) in candidates.enumerated() {
            var frequency: [Int: Int] = [:]
            for record in perRecord where record[slot] > 0 { frequency[record[slot], default: 0] += 1 }
            // The count most records share, and the larger count among equals.
            guard let (fields, records) = frequency.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }) else {
                continue
            }
            if best.map({ (records, fields) > ($0.records, $0.fields) }) ?? true {
                best = (delimiter, records, fields)
            }
        }
        return best?.delimiter ?? 0x2C
    }

    /// The delimiter of a first line `sep=X` (any case), as Excel writes and reads it.
    private static func excelHint(_ bytes: UnsafeRawBufferPointer) -> UInt8? {
        guard bytes.count >= 5, bytes[0] | 0x20 == 0x73, bytes[1] | 0x20 == 0x65, bytes[2] | 0x20 == 0x70,
            bytes[3] == 0x3D, bytes.count == 5 || bytes[5] == 0x0A || bytes[5] == 0x0D
        else { return nil }
        let hinted = bytes[4]
        return hinted > 0x20 && hinted < 0x7F && hinted != 0x22 ? hinted : nil
    }

    /// The name the summary gives a delimiter.
    public static func name(_ byte: UInt8) -> String {
        switch byte {
        case 0x2C: return "comma"
        case 0x09: return "tab"
        case 0x7C: return "pipe"
        case 0x3B: return "semicolon"
        default: return "'\(Character(Unicode.Scalar(byte)))'"
        }
    }

    /// A delimiter as a user names it: `comma`, `tab`, `pipe`, `semicolon`, or the
    /// character itself (`;`, `|`, `\t`). Nil for anything that cannot delimit: more
    /// than one character, a character outside ASCII, a quote, a line break.
    public static func delimiter(named name: String) -> UInt8? {
        switch name.lowercased() {
        case "comma": return 0x2C
        case "tab", "\\t": return 0x09
        case "pipe": return 0x7C
        case "semicolon": return 0x3B
        default:
            if name == "\t" { return 0x09 }
            guard name.utf8.count == 1, let byte = name.utf8.first, byte > 0x20, byte < 0x7F, byte != 0x22 else {
                return nil
            }
            return byte
        }
    }
}
