import Testing

@testable import ClaimIngest

/// The parser of deferred rows: one libcsv parser, reused from row to row, must read
/// each row as the file's reader reads it.
@Suite struct CSVLineParserTests {
    private func parse(_ parser: CSVLineParser, _ text: String, line: Int = 7) -> [String]? {
        Array(text.utf8).withUnsafeBufferPointer { raw in
            parser.parse(raw, line: line) { event -> [String]? in
                guard case .record(let record) = event else { return nil }
                #expect(record.line == line)
                return (0..<record.fieldCount).map { String(decoding: record.field($0), as: UTF8.self) }
            }
        }
    }

    @Test func rowAfterRowReadAsTheReaderReadsThem() {
        let parser = CSVLineParser(delimiter: 0x2C)
        #expect(parse(parser, "C1,P1, 2026-10-01 ,99213,,10.00") == ["C1", "P1", "2026-10-01", "99213", "", "10.00"])
        #expect(parse(parser, "C2,P2") == ["C2", "P2"])
        #expect(parse(parser, "C3,\"a, b\",x") == ["C3", "a, b", "x"])
    }

    @Test func aBrokenRowIsMalformedAndTheNextReadsClean() {
        let parser = CSVLineParser(delimiter: 0x2C)
        let problem = Array("C1,P\"1,x".utf8).withUnsafeBufferPointer { raw in
            parser.parse(raw, line: 3) { event -> MalformedRecord.Problem? in
                guard case .malformed(let malformed) = event else { return nil }
                return malformed.problem
            }
        }
        #expect(problem == .brokenQuoting(column: 2))
        #expect(parse(parser, "C2,\"open") == nil)
        #expect(parse(parser, "C3,P3") == ["C3", "P3"])
    }

    @Test func aTabDelimitedRowKeepsItsEmptyFields() {
        let parser = CSVLineParser(delimiter: 0x09)
        #expect(parse(parser, "C1\t\tP1") == ["C1", "", "P1"])
    }
}
