import ClaimModel
import Foundation
import TestSupport
import Testing

@testable import ClaimIngest

/// A large file read on several cores must give exactly what one core gives.
@Suite struct ParallelIngestTests {
    struct Outcome: Equatable {
        var lines: [ClaimLine]
        var rejections: [Rejection]
        var summary: InputFileSummary
    }

    private func ingest(_ file: String, parallelism: Int, chunkSize: Int = 4096) throws -> Outcome {
        var ingestor = ClaimIngestor(chunkSize: chunkSize)
        ingestor.parallelism = parallelism
        ingestor.minimumParallelBytes = 0
        var lines: [ClaimLine] = []
        var rejections: [Rejection] = []
        let summary = try ingestor.ingest(file: file, accept: { lines.append($0) }, reject: { rejections.append($0) })
        return Outcome(lines: lines, rejections: rejections, summary: summary)
    }

    /// Rows with notes that hold commas, quotes and line breaks, and some bad rows.
    static func claims(rows: Int, bigNoteAt: Int? = nil) -> String {
        var text =
            "claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity,place_of_service_code,complexity_justification,paid_amount\r\n"
        for i in 0..<rows {
            let code = ["62369", "99213", "72148", "J0475", "95991"][i % 5]
            var note = i % 7 == 0 ? "\"deep pump, \"\"flipped\"\"\nsecond line\"" : "fluoroscopy guided"
            if i == bigNoteAt { note = "\"" + String(repeating: "a long quoted note line\n", count: 2000) + "\"" }
            let date = i % 97 == 0 ? "2026-02-30" : "2026-10-\(10 + i % 18)"
            text += "C\(i),1,P\(i % 31),\(date),\(code),\(i % 53 == 0 ? "x" : "1"),11,\(note),\(i).00\r\n"
            if i % 211 == 0 { text += "C\(i)b,1,P1,2026-10-01,62369,1,1\"1,bad quote,1.00\r\n" }
        }
        return text
    }

    @Test(arguments: [2, 3, 4])
    func severalCoresReadWhatOneCoreReads(parallelism: Int) throws {
        let folder = ScratchFolder()
        let file = folder.write("claims.csv", Self.claims(rows: 3000))
        let one = try ingest(file, parallelism: 1)
        let many = try ingest(file, parallelism: parallelism)
        #expect(one.lines.count > 1000)
        #expect(one.rejections.count > 30)
        #expect(many.summary == one.summary)
        #expect(many.lines == one.lines)
        #expect(many.rejections == one.rejections)
        #expect(one.summary.rowsRead == 3000 + 15)
    }

    /// A run's ingest: every range writes its own partition writer, adopted in file order
    /// with its line offset. Each partition must hold, in order, exactly the lines one
    /// core reads of its patients, also when a cut falls inside a quoted note. The context
    /// rows without quotes wait undecoded in the partitions: decoded there, they give the
    /// lines and the rejections that one core's decoding at once gives.
    @Test(arguments: [(1, nil), (2, nil), (3, nil), (7, nil), (16, nil), (2, 200)] as [(Int, Int?)])
    func partitionsHoldWhatOneCoreReads(parallelism: Int, bigNoteAt: Int?) throws {
        let folder = ScratchFolder()
        let file = folder.write("claims.csv", Self.claims(rows: bigNoteAt == nil ? 3000 : 400, bigNoteAt: bigNoteAt))
        let copy = folder.write("copy.csv", Self.claims(rows: bigNoteAt == nil ? 3000 : 400, bigNoteAt: bigNoteAt))
        let one = try ingest(file, parallelism: 1)
        let oneOfCopy = try ingest(copy, parallelism: 1)
        var ingestor = ClaimIngestor(chunkSize: 4096)
        ingestor.parallelism = parallelism
        ingestor.minimumParallelBytes = 0
        let partitions = PatientPartitions(count: 5, coding: ClaimLineCoding(files: [file, copy]))
        let rejections = RejectionSpill()
        // Two files: the second file's writers come after the first's.
        var summaries = try ingestor.ingest(files: [file, copy], into: partitions) { try rejections.append($0) }
        try partitions.finish()
        var late: [Rejection] = []
        for partition in 0..<partitions.count {
            let read = try partitions.read(partition)
            let expected = (one.lines + oneOfCopy.lines).filter { partitions.partition(of: $0.patientID) == partition }
            #expect(read.lines == expected, "partition \(partition)")
            late += read.rejections
        }
        // Bad units on E/M and drug rows without quotes are found late.
        #expect(late.count > 4)
        #expect(late.allSatisfy { if case .badUnits = $0.reason { true } else { false } })
        #expect(partitions.linesWritten == one.lines.count + oneOfCopy.lines.count + late.count)
        var merged: [Rejection] = []
        try rejections.drain(mergingIn: late.shuffled(), fileOrder: { $0 == file ? 0 : 1 }) { merged.append($0) }
        #expect(merged == one.rejections + oneOfCopy.rejections)
        for rejection in late { summaries[rejection.source.file == file ? 0 : 1].count(lateRejection: rejection) }
        #expect(summaries == [one.summary, oneOfCopy.summary])
    }

    /// A context row of a patient whom no one audits is never decoded: a bad value in it
    /// is no rejection, and it counts in scope.
    @Test func aContextRowOfAPatientLeftOutIsNeverDecoded() throws {
        let folder = ScratchFolder()
        let file = folder.write(
            "claims.csv",
            """
            claim_id,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity,paid_amount
            C1,P1,2026-10-01,62369,1,10.00
            C2,P1,2026-10-01,99213,x,10.00
            C3,P2,2026-10-01,99213,x,10.00
            C4,P2,2026-10-02,J0475,1,ten
            C5,P2,2026-10-40,99213,1,10.00

            """)
        let partitions = PatientPartitions(count: 1, coding: ClaimLineCoding(files: [file]))
        var rejections: [Rejection] = []
        let summary = try ClaimIngestor().ingest(files: [file], into: partitions) { rejections.append($0) }[0]
        try partitions.finish()
        // A bad date is rejected as the row is read: the partitions need every row's date.
        #expect(rejections.map(\.source.line) == [6])
        #expect(summary.rowsInScope == 4)
        #expect(partitions.linesWritten == 4)
        let read = try partitions.read(0) { $0.pumpPatients }
        #expect(read.lines.map(\.claimID) == ["C1"])
        #expect(read.leftOut == 2)
        #expect(read.rejections.map(\.source) == [SourceLocation(file: file, line: 3)])
        #expect(read.rejections.first?.reason == .badUnits(column: "service_unit_quantity", value: "x"))
        #expect(read.rejections.first?.raw == "C2,P1,2026-10-01,99213,x,10.00")
    }

    /// A row of a code that opens its patient's audit is decoded as it is read: the scan of
    /// a partition finds such patients by their lines' heads, which a deferred row's cannot tell.
    @Test func aRowOfACodeThatOpensAnAuditIsDecodedAsRead() throws {
        let folder = ScratchFolder()
        let file = folder.write(
            "claims.csv",
            """
            claim_id,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity
            C1,P1,2026-10-01,J0475,x
            C2,P2,2026-10-01,J0475,1
            C3,P3,2026-10-01,J2274,x

            """)
        let partitions = PatientPartitions(
            count: 1, coding: ClaimLineCoding(files: [file], codesOpeningAudit: ["J0475"]))
        var rejections: [Rejection] = []
        _ = try ClaimIngestor().ingest(files: [file], into: partitions) { rejections.append($0) }
        try partitions.finish()
        #expect(rejections.map(\.source.line) == [2])
        let read = try partitions.read(0) { $0.openingPatients }
        #expect(read.lines.map(\.claimID) == ["C2"])
        // J2274 opens nothing: its row waited, and no one decoded it.
        #expect(read.leftOut == 1)
        #expect(read.rejections.isEmpty)
    }

    @Test func aCutInsideAQuotedFieldFallsBackToOneCore() throws {
        let folder = ScratchFolder()
        // A note of 2,000 lines sits where the file is cut in two.
        let file = folder.write("claims.csv", Self.claims(rows: 400, bigNoteAt: 200))
        let one = try ingest(file, parallelism: 1)
        let two = try ingest(file, parallelism: 2)
        #expect(two == one)
        #expect(one.lines.contains { $0.claimID == "C200" })
    }

    @Test func theHashAndTheLineNumbersSpanTheWholeFile() throws {
        let folder = ScratchFolder()
        let file = folder.write("claims.csv", Self.claims(rows: 2000))
        let one = try ingest(file, parallelism: 1)
        let two = try ingest(file, parallelism: 2)
        #expect(two.summary.sha256 == one.summary.sha256)
        #expect(two.summary.sha256.count == 64)
        #expect(two.lines.last?.source.line == one.lines.last?.source.line)
        #expect((two.lines.last?.source.line ?? 0) > 2000)
    }

    @Test func theCutsAreUsedWhenTheyFallBetweenRecordsAndRefusedWhenNot() throws {
        let folder = ScratchFolder()
        for (rows, bigNote, expectParallel) in [(3000, nil, true), (400, 200, false)] as [(Int, Int?, Bool)] {
            let file = folder.write("claims-\(rows).csv", Self.claims(rows: rows, bigNoteAt: bigNote))
            let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as! Int
            let found = try ParallelCutTests.header(of: file)
            let result = try ParallelIngest(ingestor: ClaimIngestor(chunkSize: 4096), file: file, size: size, parts: 2)
                .run(header: found, accept: { _ in }, reject: { _ in })
            #expect((result != nil) == expectParallel, "\(rows) rows")
        }
    }

    @Test func aMissingColumnStillStopsTheRun() throws {
        let folder = ScratchFolder()
        let file = folder.write(
            "claims.csv", "claim_id,person_id,hcpcs_code\n" + String(repeating: "C1,P1,62369\n", count: 500))
        #expect(throws: IngestError.self) { try ingest(file, parallelism: 2) }
    }
}
