import ClaimModel
import Foundation
import TestSupport
import Testing

@testable import ClaimIngest

/// How a file's delimiter, encoding, header and footers are found.
@Suite struct SniffingTests {
    @Test(
        arguments: [
            ("a,b,c\n1,2,3\n", ","),
            ("a;b;c\n1;2;3\n", ";"),
            ("a\tb\tc\n1\t2\t3\n", "\t"),
            ("a|b|c\n1|2|3|\n", "|"),
            // Quote-aware: the delimiters inside quotes do not count.
            ("\"a;b;c;d\",e,f\n\"1;2;3;4\",5,6\n", ","),
            ("a;\"b,c,d,e\";f\n1;\"2,\n3,4,5\";6\n", ";"),
            // A title row with commas above a semicolon header.
            ("Report, October, 2026\nclaim;patient;date;code\n1;2;3;4\n", ";"),
            // A comma file whose notes hold semicolons on some rows.
            ("a,b,c,note\n1,2,3,x;y;z;w;v\n1,2,3,\n1,2,3,ok\n", ","),
            // European Excel: decimal commas in some unquoted amounts.
            ("claim;paid;charge\nC1;12,50;10,00\nC2;3;4\n", ";"),
            // Excel's hint line names it, whatever the counts say.
            ("sep=;\na,b,c;d\n1,2,3;4\n", ";"),
            ("SEP=|\r\na,b\n", "|"),
            // No delimiter at all: one column.
            ("claim_id\nC1\n", ","),
        ] as [(String, Character)])
    func theDelimiterIsTheOneMostRecordsAgreeOn(text: String, expected: Character) {
        let found = Array(text.utf8).withUnsafeBytes { DelimiterSniffer.sniff($0, isWhole: true) }
        #expect(Character(Unicode.Scalar(found)) == expected, "\(text.debugDescription)")
    }

    @Test(
        arguments: [
            ("comma", 0x2C), ("TAB", 0x09), ("pipe", 0x7C), ("semicolon", 0x3B), (";", 0x3B), ("|", 0x7C),
            ("\t", 0x09), ("\\t", 0x09), ("~", 0x7E),
        ] as [(String, UInt8)])
    func aDelimiterIsNamedOrGivenAsItself(name: String, byte: UInt8) {
        #expect(DelimiterSniffer.delimiter(named: name) == byte)
    }

    @Test(arguments: ["\"", "ab", " ", "\n", "é", ""])
    func aCharacterThatCannotDelimitIsRefused(name: String) {
        #expect(DelimiterSniffer.delimiter(named: name) == nil)
    }

    @Test(
        arguments: [
            ([0xFF, 0xFE, 0x61, 0x00], true, TextEncoding.utf16LE),
            ([0xFE, 0xFF, 0x00, 0x61], true, .utf16BE),
            ([0xEF, 0xBB, 0xBF, 0x61], true, .utf8),
            (Array("José".utf8), true, .utf8),
            ([0x4A, 0x6F, 0x73, 0xE9], true, .windows1252),
            // A UTF-8 sequence cut by the end of the sample is not proof of anything.
            ([0x4A, 0x6F, 0x73, 0xC3], false, .utf8),
            ([0x4A, 0x6F, 0x73, 0xC3], true, .windows1252),
            // UTF-8 with one damaged byte among its accents stays UTF-8.
            (Array("José, Zoë, Müller ".utf8) + [0xFF], true, .utf8),
            (Array("José ".utf8) + [0xE9, 0xE9], true, .windows1252),
            // Overlong forms and surrogates are not UTF-8.
            ([0xC0, 0xAF], true, .windows1252),
            ([0xED, 0xA0, 0x80], true, .windows1252),
        ] as [([UInt8], Bool, TextEncoding)])
    func theEncodingIsFoundFromTheFirstBytes(bytes: [UInt8], isWhole: Bool, expected: TextEncoding) {
        #expect(bytes.withUnsafeBytes { TextEncoding.sniff($0, isWhole: isWhole) } == expected)
    }

    /// Converts `bytes` handing the transcoder one byte per call, so that every unit
    /// and every surrogate pair is split across reads.
    private func transcode(_ bytes: [UInt8], as encoding: TextEncoding?, readSize: Int = 3) -> String {
        let transcoder = TextTranscoder(encoding: encoding)
        var offset = 0
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: readSize)
        while true {
            let got = buffer.withUnsafeMutableBytes { target in
                transcoder.read(into: target.baseAddress!, count: readSize) { destination, _ in
                    guard offset < bytes.count else { return 0 }
                    destination.storeBytes(of: bytes[offset], as: UInt8.self)
                    offset += 1
                    return 1
                }
            }
            if got <= 0 { break }
            out += buffer[0..<got]
        }
        return String(decoding: out, as: UTF8.self)
    }

    @Test func utf16IsTranscodedWhateverTheChunkBoundaries() {
        let text = "claim;José’s 😀 note;€\r\n"
        let little: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let big: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for readSize in [1, 2, 3, 7, 4096] {
            #expect(transcode(little, as: nil, readSize: readSize) == text)
            #expect(transcode(big, as: nil, readSize: readSize) == text)
            #expect(transcode(Array(little.dropFirst(2)), as: .utf16LE, readSize: readSize) == text)
        }
        // A lone surrogate and an odd last byte become U+FFFD; nothing is dropped silently.
        #expect(transcode([0xFF, 0xFE, 0x00, 0xD8, 0x61, 0x00, 0x62], as: nil) == "\u{FFFD}a\u{FFFD}")
    }

    @Test func windows1252IsTranscodedByItsWholeTable() {
        let bytes: [UInt8] = [0x4A, 0x6F, 0x73, 0xE9, 0x92, 0x80, 0x96, 0x81, 0xA0, 0xFF]
        #expect(transcode(bytes, as: nil) == "José’€–\u{81}\u{A0}ÿ")
        // UTF-8 passes through untouched.
        #expect(transcode(Array("José’€".utf8), as: nil) == "José’€")
    }

    static let header = "claim_id,person_id,claim_line_start_date,hcpcs_code,paid_amount\n"

    private func read(_ text: String) throws -> ExportVariantTests.Read {
        let folder = ScratchFolder()
        return try withExtendedLifetime(folder) { try ExportVariantTests.read(folder.write("in.csv", text)) }
    }

    @Test func aRealRowIsNeverTakenForAFooter() throws {
        // Claim ids and patients that start like footers, on rows that read as lines.
        let result = try read(
            Self.header + "Total-1,P1,2026-10-05,62369,90.00\nTOTAL,Page 2,2026-10-05,62370,90.00\n"
                + "Count,P3,2026-10-06,62369,1.00\nTotal,,,,180.00\nSubtotal: 2 claims\n"
                + "Totalcare,P4,2026-13-01,62369,1.00\n")
        #expect(result.lines.map(\.claimID) == ["Total-1", "TOTAL", "Count"])
        #expect(result.rejections.map(\.source.line) == [5, 6, 7])
        #expect(result.rejections.map(\.reason.category) == ["footer row", "footer row", "bad date"])
        #expect(result.summary.footerRows == 2)
    }

    @Test func theHeaderIsLookedForInTheFirstLinesOnly() throws {
        let titles = (1...HeaderSearch.maximumLines).map { "Title \($0)\n" }.joined()
        #expect {
            try read(titles + Self.header + "C1,P1,2026-10-05,62369,90.00\n")
        } throws: { error in
            "\(error)".contains("in.csv")
        }
        let below = try read(titles.dropFirst("Title 1\n".count) + Self.header + "C1,P1,2026-10-05,62369,90.00\n")
        #expect(below.lines.map(\.source.line) == [HeaderSearch.maximumLines + 1])
        #expect(below.summary.titleRows.count == HeaderSearch.maximumLines - 1)
        #expect(below.summary.rowsRead == 1)
    }

    @Test func aFileWithoutTitleRowsStillNamesItsMissingColumn() throws {
        #expect {
            try read("claim_id,person_id,hcpcs_code\nC1,P1,62369\n")
        } throws: { error in
            let text = "\(error)"
            return text.contains("in.csv") && text.contains("date")
        }
    }

    @Test func blankRowsAreCountedAndNeverRead() throws {
        let result = try read(Self.header + ",,,,\n\n , , ,,\nC1,P1,2026-10-05,62369,90.00\n,,,,\n")
        #expect(result.summary.rowsBlank == 3)
        #expect(result.summary.rowsRead == 1)
        #expect(result.rejections.isEmpty)
        #expect(result.lines.map(\.source.line) == [5])
    }
}
