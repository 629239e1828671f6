import ClaimModel
import Crypto
import Foundation
import TestSupport
import Testing

@testable import ClaimIngest

/// Multi-line quoted notes placed across the cuts of a file read on 1 to 16 cores:
/// whatever the cuts, the result is the one-core result, and nothing reaches the
/// consumer from a parallel read that is then redone on one core.
@Suite(.tags(.slow), .skippedInFastRuns) struct ParallelCutTests {
    enum NotePlacement: String, CaseIterable, Sendable {
        /// No long note: every cut falls between records.
        case none
        /// A long note across the last cut only: the ranges before it read cleanly.
        case lastCut
        /// A long note across every cut.
        case everyCut
    }

    static let header =
        "claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity,place_of_service_code,complexity_justification,paid_amount\n"
    static let longNote = "\"" + String(repeating: "a long quoted note line\n", count: 120) + "\""

    /// Row `i`, with the short note or the long one. Bad dates, bad units, broken quoting
    /// and short two-line notes recur, so every range has rejections and quoted line breaks.
    static func row(_ i: Int, longNote: Bool) -> String {
        func padded(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let code = ["62369", "99213", "62370", "J0475", "95991"][i % 5]
        let date = i % 97 == 0 ? "2026-02-30" : "2026-10-\(10 + i % 18)"
        let units = i % 53 == 0 ? "x" : "1"
        let place = i % 211 == 0 ? "1\"" : "11"
        // The two short notes have the same length, so every row but a long-note one has one length.
        let note = longNote ? Self.longNote : i % 7 == 0 ? "\"deep, \"\"x\"\"\nsecond\"" : "fluoroscopy guided x"
        return "C\(padded(i, 6)),1,P\(padded(i % 31, 4)),\(date),\(code),\(units),\(place),\(note),\(padded(i, 6)).00\n"
    }

    /// A file whose cuts for `parts` cores fall inside long notes as `placement` says.
    /// The cuts are found as `ParallelIngest` finds them: the first line break after
    /// each `size * k / parts`; a long note on the row holding that offset contains it.
    static func claims(rows: Int, parts: Int, placement: NotePlacement) -> String {
        let noteGrowth = longNote.utf8.count - "fluoroscopy guided x".utf8.count
        let plain = header.utf8.count + (0..<rows).reduce(0) { $0 + row($1, longNote: false).utf8.count }
        let cuts: [Int]
        switch placement {
        case .none: cuts = []
        case .lastCut: cuts = parts > 1 ? [parts - 1] : []
        case .everyCut: cuts = Array(1..<max(parts, 1))
        }
        let size = plain + cuts.count * noteGrowth
        var targets = cuts.map { size * $0 / parts }
        var text = header
        var offset = header.utf8.count
        for i in 0..<rows {
            let short = row(i, longNote: false)
            var chosen = short
            if let target = targets.first, target >= offset, target < offset + short.utf8.count {
                chosen = row(i, longNote: true)
                targets.removeFirst()
            }
            text += chosen
            offset += chosen.utf8.count
        }
        precondition(targets.isEmpty && offset == size, "a cut missed its note")
        return text
    }

    private func ingest(_ file: String, parallelism: Int) throws -> ParallelIngestTests.Outcome {
        var ingestor = ClaimIngestor(chunkSize: 4096)
        ingestor.parallelism = parallelism
        ingestor.minimumParallelBytes = 0
        var lines: [ClaimLine] = []
        var rejections: [Rejection] = []
        let summary = try ingestor.ingest(file: file, accept: { lines.append($0) }, reject: { rejections.append($0) })
        return ParallelIngestTests.Outcome(lines: lines, rejections: rejections, summary: summary)
    }

    @Test(arguments: 1...16, NotePlacement.allCases)
    func anyNumberOfCoresReadsWhatOneCoreReads(jobs: Int, placement: NotePlacement) throws {
        let folder = ScratchFolder()
        let file = folder.write("claims.csv", Self.claims(rows: 3000, parts: jobs, placement: placement))
        let one = try ingest(file, parallelism: 1)
        let many = try ingest(file, parallelism: jobs)
        // 3,000 rows, and 3 more where broken quoting splits a two-line note into two rejected records.
        #expect(one.summary.rowsRead == 3003)
        #expect(many.summary == one.summary)
        #expect(many.lines.count == one.lines.count)
        #expect(many.lines == one.lines)
        #expect(many.rejections.count == one.rejections.count)
        #expect(many.rejections == one.rejections)
    }

    /// When a cut falls inside a record the file is read again on one core, so the
    /// parallel read must hand on nothing first: not a line, not a rejection.
    @Test(arguments: 2...16)
    func aReadThatFallsBackHandsOnNothing(jobs: Int) throws {
        let folder = ScratchFolder()
        let file = folder.write("claims.csv", Self.claims(rows: 3000, parts: jobs, placement: .lastCut))
        let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as! Int
        let header = try Self.header(of: file)
        var handedOn = 0
        let result = try ParallelIngest(ingestor: ClaimIngestor(chunkSize: 4096), file: file, size: size, parts: jobs)
            .run(header: header, accept: { _ in handedOn += 1 }, reject: { _ in handedOn += 1 })
        #expect(result == nil)
        #expect(handedOn == 0)
    }

    /// A file that grows while it is read (an export still being written): the hash
    /// and the rows describe the same bytes, those there when the read began.
    @Test func aFileThatGrowsIsHashedAsItWasRead() throws {
        let folder = ScratchFolder()
        let first = Self.claims(rows: 3000, parts: 2, placement: .none)
        let file = folder.write("claims.csv", first + "G1,1,PG,2026-10-05,62369,1,11,grown,90.00\n")
        let header = try Self.header(of: file)
        var lines = 0
        // The size taken before the read, as `ClaimIngestor` takes it, less the appended row.
        let summary = try #require(
            try ParallelIngest(ingestor: ClaimIngestor(chunkSize: 4096), file: file, size: first.utf8.count, parts: 2)
                .run(header: header, accept: { _ in lines += 1 }, reject: { _ in }))
        #expect(summary.sha256 == ClaimIngestor.hex(SHA256.hash(data: Data(first.utf8))))
        // The rows are those of the file as it was: as many as one core reads from it.
        var oneCore = ClaimIngestor(chunkSize: 4096)
        oneCore.parallelism = 1
        let before = try oneCore.ingest(file: folder.write("before.csv", first), accept: { _ in }, reject: { _ in })
        #expect(summary.rowsRead == before.rowsRead)
        #expect(summary.sha256 == before.sha256)
        #expect(lines == summary.rowsInScope)
    }

    /// The header's decoder, as `ClaimIngestor` makes it before the ranges start.
    static func header(of file: String) throws -> ParallelIngest.Header {
        let fd = open(file, O_RDONLY)
        defer { close(fd) }
        let reader = try CSVRecordReader(fileDescriptor: fd)
        var header: ParallelIngest.Header?
        struct Stop: Error {}
        do {
            try reader.read { event in
                guard case .record(let record) = event else { return }
                let headers = (0..<record.fieldCount).map { String(decoding: record.field($0), as: UTF8.self) }
                let decoder = RowDecoder(file: file, map: try ColumnMap(headers: headers, file: file))
                header = ParallelIngest.Header(
                    decoder: decoder, delimiter: 0x2C, encoding: .utf8, line: record.line,
                    summary: InputFileSummary(file: file, delimiter: "comma"))
                throw Stop()
            }
        } catch is Stop {}
        return try #require(header)
    }
}
