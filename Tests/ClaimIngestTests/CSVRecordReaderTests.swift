import TestSupport
import Testing

@testable import ClaimIngest

/// The reader at a chunk size far smaller than any record, and at its default, must
/// agree: records that straddle chunks are carried whole.
private let chunkSizes = [16, 17, 64, CSVRecordReader.defaultChunkSize]

@Suite struct CSVRecordReaderTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var text: String
        var expected: [(line: Int, fields: [String])]
        var description: String { name }
    }

    static let wellFormed: [Case] = [
        Case(name: "plain LF", text: "a,b,c\n1,2,3\n", expected: [(1, ["a", "b", "c"]), (2, ["1", "2", "3"])]),
        Case(
            name: "CRLF", text: "a,b\r\n1,2\r\n3,4\r\n",
            expected: [(1, ["a", "b"]), (2, ["1", "2"]), (3, ["3", "4"])]),
        Case(name: "lone CR line ends", text: "a,b\r1,2\r", expected: [(1, ["a", "b"]), (2, ["1", "2"])]),
        Case(
            name: "mixed line endings", text: "a,b\r\n1,2\n3,4\r5,6",
            expected: [(1, ["a", "b"]), (2, ["1", "2"]), (3, ["3", "4"]), (4, ["5", "6"])]),
        Case(name: "no final newline", text: "a,b\n1,2", expected: [(1, ["a", "b"]), (2, ["1", "2"])]),
        Case(
            name: "blank and trailing lines", text: "a,b\n\n1,2\n   \n\r\n\n",
            expected: [(1, ["a", "b"]), (3, ["1", "2"])]),
        Case(name: "quoted comma", text: "a,b\n\"x, y\",2\n", expected: [(1, ["a", "b"]), (2, ["x, y", "2"])]),
        Case(
            name: "escaped quotes", text: "a,b\n\"say \"\"hi\"\"\",2\n",
            expected: [(1, ["a", "b"]), (2, ["say \"hi\"", "2"])]),
        Case(
            name: "embedded LF keeps the start line", text: "a,b\n\"one\ntwo\nthree\",2\n4,5\n",
            expected: [(1, ["a", "b"]), (2, ["one\ntwo\nthree", "2"]), (5, ["4", "5"])]),
        Case(
            name: "embedded CRLF", text: "a,b\r\n\"one\r\ntwo\",2\r\n4,5\r\n",
            expected: [(1, ["a", "b"]), (2, ["one\r\ntwo", "2"]), (4, ["4", "5"])]),
        Case(
            name: "empty fields", text: "a,b,c\n,,\n1,,3\n",
            expected: [(1, ["a", "b", "c"]), (2, ["", "", ""]), (3, ["1", "", "3"])]),
        Case(
            name: "spaces trimmed around unquoted fields", text: "a , b\n 1 ,\" 2 \"\n",
            expected: [(1, ["a", "b"]), (2, ["1", " 2 "])]),
        Case(name: "BOM", text: "\u{FEFF}a,b\n1,2\n", expected: [(1, ["a", "b"]), (2, ["1", "2"])]),
    ]

    @Test(arguments: wellFormed, chunkSizes)
    func readsWellFormedFiles(_ testCase: Case, chunkSize: Int) throws {
        let folder = ScratchFolder()
        let file = folder.write("t.csv", testCase.text)
        let records = try readRecords(file, chunkSize: chunkSize).records
        #expect(records.map(\.line) == testCase.expected.map(\.line))
        #expect(records.map(\.fields) == testCase.expected.map(\.fields))
        #expect(records.allSatisfy { $0.problem == nil })
    }

    @Test(arguments: [
        ("a,b,c\n1,2,3\n", UInt8(ascii: ",")), ("a\tb\tc\n1\t2\t3\n", UInt8(ascii: "\t")),
        ("a|b|c\n1|2|3\n", UInt8(ascii: "|")), ("\"x,y\"|b\n1|2\n", UInt8(ascii: "|")),
        ("single\n1\n", UInt8(ascii: ",")),
    ])
    func detectsTheDelimiterFromTheHeader(text: String, delimiter: UInt8) throws {
        let folder = ScratchFolder()
        let result = try readRecords(folder.write("t.txt", text))
        #expect(result.delimiter == delimiter)
        #expect(result.records.map(\.line) == [1, 2])
        #expect(Set(result.records.map(\.fields.count)).count == 1)
    }

    @Test func tabDelimitedKeepsEmptyFieldsAndInnerSpaces() throws {
        let folder = ScratchFolder()
        let records = try readRecords(folder.write("t.tsv", "a\tb\tc\n1\t\t3 4\n")).records
        #expect(records.map(\.fields) == [["a", "b", "c"], ["1", "", "3 4"]])
    }

    @Test(arguments: chunkSizes)
    func rawKeepsTheRecordAsRead(chunkSize: Int) throws {
        let folder = ScratchFolder()
        let records = try readRecords(folder.write("t.csv", "a,b\r\n\"x\r\ny\",\"q\"\"\"\r\n"), chunkSize: chunkSize)
            .records
        #expect(records.map(\.raw) == ["a,b", "\"x\r\ny\",\"q\"\"\""])
    }

    @Test(arguments: chunkSizes)
    func strayQuoteRejectsOnlyItsLine(chunkSize: Int) throws {
        let folder = ScratchFolder()
        let text = "a,b,c\n1,x\"y,3\n4,\"5\"z,6\n7,8,9\n"
        let records = try readRecords(folder.write("t.csv", text), chunkSize: chunkSize).records
        #expect(records.map(\.line) == [1, 2, 3, 4])
        #expect(records[1].problem == .brokenQuoting(column: 2))
        #expect(records[1].raw == "1,x\"y,3")
        #expect(records[2].problem == .brokenQuoting(column: 2))
        #expect(records[3].fields == ["7", "8", "9"])
    }

    @Test(arguments: chunkSizes)
    func unterminatedQuoteAtEndOfFileLosesOnlyTheLineThatOpenedIt(chunkSize: Int) throws {
        let folder = ScratchFolder()
        let text = "a,b\n1,\"open\n2,two\n3,three\n"
        let records = try readRecords(folder.write("t.csv", text), chunkSize: chunkSize).records
        #expect(records.map(\.line) == [1, 2, 3, 4])
        #expect(records[1].problem == .unterminatedQuote)
        #expect(records[1].raw == "1,\"open")
        #expect(records[2].fields == ["2", "two"])
        #expect(records[3].fields == ["3", "three"])
    }

    @Test(arguments: chunkSizes)
    func quoteOpenedOnOneLineAndBrokenOnALaterOneRecovers(chunkSize: Int) throws {
        let folder = ScratchFolder()
        // The quote opened on line 2 runs on into line 3, where `"b` breaks it.
        let text = "a,b,c\n1,\"open,x\n2,\"b\",c\n3,y,z\n"
        let records = try readRecords(folder.write("t.csv", text), chunkSize: chunkSize).records
        #expect(records.map(\.line) == [1, 2, 3, 4])
        #expect(records[1].problem != nil)
        #expect(records[1].raw == "1,\"open,x")
        #expect(records[2].fields == ["2", "b", "c"])
        #expect(records[3].fields == ["3", "y", "z"])
    }

    @Test func aLineLongerThanTheLimitIsRejectedAndSkipped() throws {
        let folder = ScratchFolder()
        let long = String(repeating: "x", count: 5000)
        let text = "a,b\n1,\(long)\n2,ok\n"
        let records = try readRecords(folder.write("t.csv", text), chunkSize: 64, maxRecordBytes: 1024).records
        #expect(records.map(\.line) == [1, 2, 3])
        #expect(records[1].problem == .tooLarge(limit: 1024))
        #expect(records[1].raw.hasPrefix("1,xxx"))
        #expect(records[2].fields == ["2", "ok"])
    }

    @Test func aQuotedFieldOfTenMegabytesIsRead() throws {
        let folder = ScratchFolder()
        let big = String(repeating: "note, \"quoted\"\n", count: 700_000)
        let escaped = big.replacingOccurrences(of: "\"", with: "\"\"")
        let file = folder.write("t.csv", "a,b\n1,\"\(escaped)\"\n2,after\n")
        let records = try readRecords(file).records
        #expect(records.count == 3)
        #expect(records[1].fields[1] == big)
        #expect(records[2].line == 2 + 700_000 + 1)
    }

    @Test func emptyAndByteOrderMarkOnlyFilesHaveNoRecords() throws {
        let folder = ScratchFolder()
        #expect(try readRecords(folder.write("empty.csv", "")).records.isEmpty)
        #expect(try readRecords(folder.write("bom.csv", bytes: [0xEF, 0xBB, 0xBF])).records.isEmpty)
        #expect(try readRecords(folder.write("blank.csv", "\n\r\n\n")).records.isEmpty)
    }

    @Test func invalidUTF8AndNULBytesPassThrough() throws {
        let folder = ScratchFolder()
        let bytes: [UInt8] = Array("a,b\n1,".utf8) + [0xFF, 0xFE, 0x00, 0x41] + Array("\n".utf8)
        let records = try readRecords(folder.write("t.csv", bytes: bytes)).records
        #expect(records.count == 2)
        #expect(records[1].fields[1].unicodeScalars.count == 4)
    }
}

/// The screen's split of a plain line (eight bytes at a time) is libcsv's split, for
/// every field length and every place of the delimiter within a word.
@Suite struct PlainLineSplitTests {
    @Test(arguments: [UInt8(0x2C), 0x09, 0x7C])
    func theScreenSeesTheFieldsLibcsvSees(delimiter: UInt8) throws {
        let separator = String(UnicodeScalar(delimiter))
        var rows: [[String]] = []
        for width in 0..<19 {
            for count in 1..<7 {
                let row = (0..<count).map { field in
                    String(repeating: "abcdefghij"[(field + width) % 10], count: (width * (field + 1)) % 19)
                }
                // An empty line is a blank line, not a record of one empty field.
                if row != [""] { rows.append(row) }
            }
        }
        let text = rows.map { $0.joined(separator: separator) + "\n" }.joined()
        let bytes = Array(text.utf8)
        var screened: [[String]] = []
        try bytes.withUnsafeBytes { buffer in
            let reader = try CSVRecordReader(input: InputHandle(memory: buffer), delimiter: delimiter, chunkSize: 64)
            reader.screen = { line in
                screened.append((0..<line.fieldCount).map { String(decoding: line.field($0), as: UTF8.self) })
                return true
            }
            try reader.read { _ in Issue.record("every line is plain and screened out") }
            #expect(reader.screenedOut == rows.count)
        }
        #expect(screened == rows)
    }
}

extension String {
    fileprivate subscript(_ index: Int) -> Character { self[self.index(startIndex, offsetBy: index)] }
}
