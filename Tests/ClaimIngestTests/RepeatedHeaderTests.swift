import ClaimModel
import Foundation
import TestSupport
import Testing

@testable import ClaimIngest

/// Exports concatenated into one file carry a second header row; when its columns are
/// in another order, the rows after it must be read with it, never with the first map.
@Suite struct RepeatedHeaderTests {
    static let first = "claim_id,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity\n"
    static let reordered = "person_id,hcpcs_code,claim_id,service_unit_quantity,claim_line_start_date\n"

    static func rows(_ range: Range<Int>, reordered: Bool) -> String {
        range.map { i in
            reordered ? "P\(i),62369,C\(i),1,2026-10-05\n" : "C\(i),P\(i),2026-10-05,62369,1\n"
        }.joined()
    }

    private func ingest(_ text: String, parallelism: Int, minimumParallelBytes: Int = 32 << 20) throws -> (
        lines: [ClaimLine], rejections: [Rejection], summary: InputFileSummary
    ) {
        let folder = ScratchFolder()
        let file = folder.write("joined.csv", text)
        var ingestor = ClaimIngestor(chunkSize: 4096)
        ingestor.parallelism = parallelism
        ingestor.minimumParallelBytes = minimumParallelBytes
        var lines: [ClaimLine] = []
        var rejections: [Rejection] = []
        let summary = try ingestor.ingest(file: file, accept: { lines.append($0) }, reject: { rejections.append($0) })
        return (lines, rejections, summary)
    }

    @Test(arguments: 1...4)
    func aHeaderInOtherColumnsSwitchesTheMapForTheRowsAfterIt(jobs: Int) throws {
        let text =
            Self.first + Self.rows(0..<400, reordered: false) + Self.reordered + Self.rows(400..<800, reordered: true)
        let result = try ingest(text, parallelism: jobs, minimumParallelBytes: 0)
        #expect(result.lines.count == 800)
        // Claim ids stay claim ids and patients stay patients on both sides of the second header.
        #expect(result.lines.allSatisfy { $0.claimID == "C" + $0.patientID.dropFirst() })
        #expect(result.rejections.count == 1)
        let rejection = try #require(result.rejections.first)
        #expect(rejection.source.line == 402)
        #expect(rejection.reason == .repeatedHeader(columnsChanged: true))
        #expect(result.summary.rowsRead == 801)
        #expect(result.summary.rowsRead == result.summary.rowsAudited + result.summary.rowsRejected)
    }

    @Test(arguments: 1...4)
    func aHeaderInTheSameColumnsIsRejectedAndTheReadGoesOn(jobs: Int) throws {
        let text =
            Self.first + Self.rows(0..<400, reordered: false) + Self.first + Self.rows(400..<800, reordered: false)
        let result = try ingest(text, parallelism: jobs, minimumParallelBytes: 0)
        #expect(result.lines.count == 800)
        #expect(result.rejections.map(\.reason) == [.repeatedHeader(columnsChanged: false)])
        #expect("\(result.rejections[0].reason)".contains("same columns"))
    }

    @Test func aHeaderWithAnotherNumberOfColumnsIsFollowedToo() throws {
        let wider = "claim_id,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity,place_of_service_code\n"
        let text = Self.first + Self.rows(0..<3, reordered: false) + wider + "C9,P9,2026-10-05,62369,1,11\n"
        let result = try ingest(text, parallelism: 1)
        #expect(result.lines.map(\.claimID) == ["C0", "C1", "C2", "C9"])
        #expect(result.lines.last?.placeOfService == "11")
        #expect(result.rejections.map(\.reason) == [.repeatedHeader(columnsChanged: true)])
    }

    @Test func ordinaryBadRowsAreNotMistakenForHeaders() throws {
        let text = Self.first + "C1,P1,2026-02-30,62369,1\nC2,P2,not a date,62369,1\nC3,P3,2026-10-05,62369\n"
        let result = try ingest(text, parallelism: 1)
        #expect(result.rejections.map(\.reason.category) == ["bad date", "bad date", "wrong field count"])
    }
}
