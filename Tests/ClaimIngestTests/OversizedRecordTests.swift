import ClaimModel
import Foundation
import TestSupport
import Testing

@testable import ClaimIngest

/// A record that outgrows the reader's limit is rejected whole, at the line it starts
/// on, and reading goes on with the record after it.
@Suite(.tags(.slow), .skippedInFastRuns) struct OversizedRecordTests {
    static let header =
        "claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity,complexity_justification\n"

    static func note(lines: Int, width: Int) -> String {
        "\"" + String(repeating: String(repeating: "n", count: width - 1) + "\n", count: lines) + "end of note\""
    }

    @Test(arguments: [64, 4096], ["\n", "\r\n", "\r"])
    func aMultiLineRecordOverTheLimitIsRejectedWhole(chunkSize: Int, lineEnd: String) throws {
        let folder = ScratchFolder()
        // 200 KB of quoted note against a 64 KiB limit, with doubled quotes inside it.
        let noteText = Self.note(lines: 2000, width: 100).replacingOccurrences(of: "nnnn\n", with: "n\"\"n\n")
        let text = "a,b,c\n1,2,3\n4,5,\(noteText)\n6,7,8\n\"9\n\",10,11\n"
        let file = folder.write("claims.csv", text.replacingOccurrences(of: "\n", with: lineEnd))
        let records = try readRecords(file, chunkSize: chunkSize, maxRecordBytes: 64 << 10).records
        #expect(records.map(\.line) == [1, 2, 3, 2004, 2005])
        #expect(records[2].problem == .tooLarge(limit: 64 << 10))
        #expect(records[2].raw.hasPrefix("4,5,\"nnn"))
        #expect(records[3].fields == ["6", "7", "8"])
        #expect(records[4].fields == ["9" + lineEnd, "10", "11"])
    }

    /// Where a line break ends the skipped record follows RFC 4180 quoting: a quote
    /// opens a field only at its start, `""` inside quotes is a quote.
    @Test(arguments: [
        ("1,ab\"cd" + String(repeating: "x", count: 70_000) + "\n2,ok\n", [1, 2, 3]),
        ("1,\"" + String(repeating: "x", count: 70_000) + "\nmore, \"\"\n\",z\n2,ok\n", [1, 2, 5]),
        ("1, \"" + String(repeating: "x,", count: 35_000) + "\"\n2,ok\n", [1, 2, 3]),
    ])
    func aLongFirstLineIsSkippedToTheEndOfItsRecord(text: String, lines: [Int]) throws {
        let folder = ScratchFolder()
        let records = try readRecords(folder.write("t.csv", "a,b\n" + text), chunkSize: 4096, maxRecordBytes: 64 << 10)
            .records
        #expect(records.map(\.line) == lines)
        #expect(records[1].problem == .tooLarge(limit: 64 << 10))
        #expect(records.last?.fields == ["2", "ok"])
    }

    @Test func aRecordOverTheLimitThatNeverEndsRunsToTheEndOfTheFile() throws {
        let folder = ScratchFolder()
        let file = folder.write("claims.csv", "a,b\n1,\"" + String(repeating: "x\n", count: 50_000) + "2,3\n")
        let records = try readRecords(file, chunkSize: 4096, maxRecordBytes: 16 << 10).records
        #expect(records.map(\.line) == [1, 2])
        #expect(records[1].problem == .tooLarge(limit: 16 << 10))
    }

    /// The real limit, 64 MiB, on one core and on several: no hang, one rejection that
    /// names the file and line, and the rows after the note are read.
    @Test(.timeLimit(.minutes(2)))
    func aQuotedNoteOver64MiBIsRejectedAndTheRunGoesOn() throws {
        let folder = ScratchFolder()
        let path = (folder.path as NSString).appendingPathComponent("claims.csv")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.write(Data((Self.header + "C1,1,P1,2026-10-05,62369,1,short\nC2,1,P2,2026-10-05,62369,1,\"").utf8))
        let noteLine = Data((String(repeating: "n", count: 1023) + "\n").utf8)
        let block = Data(Array(repeating: noteLine, count: 1024).joined())
        for _ in 0..<65 { handle.write(block) }  // 65 MiB, 66,560 lines
        handle.write(Data("\"\nC3,1,P3,2026-10-06,62369,1,after the note\n".utf8))
        try handle.close()

        for parallelism in [1, 2, 3] {
            var ingestor = ClaimIngestor()
            ingestor.parallelism = parallelism
            ingestor.minimumParallelBytes = 0
            var lines: [ClaimLine] = []
            var rejections: [Rejection] = []
            let summary = try ingestor.ingest(
                file: path, accept: { lines.append($0) }, reject: { rejections.append($0) })
            #expect(lines.map(\.claimID) == ["C1", "C3"], "\(parallelism) cores")
            #expect(lines.last?.source.line == 3 + 65 * 1024 + 1, "\(parallelism) cores")
            #expect(rejections.count == 1, "\(parallelism) cores")
            #expect(rejections.first?.source == SourceLocation(file: path, line: 3))
            #expect(rejections.first?.reason.description == "record larger than 64 MiB")
            #expect(summary.rowsRead == 3 && summary.rowsRejected == 1, "\(parallelism) cores")
        }
    }

    /// What reaches a user (a header that cannot be read, a reference file's bad row) is words.
    @Test(arguments: [
        (MalformedRecord.Problem.tooLarge(limit: 64 << 20), "record larger than 64 MiB"),
        (.unterminatedQuote, "a quoted field is never closed"),
        (.brokenQuoting(column: 3), "a quote inside an unquoted field, or text after a closing quote, in column 3"),
    ])
    func problemsReadAsWords(problem: MalformedRecord.Problem, text: String) {
        #expect("\(problem)" == text)
    }
}
