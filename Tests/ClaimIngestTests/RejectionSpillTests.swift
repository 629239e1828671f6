import ClaimModel
import Foundation
import Testing

@testable import ClaimIngest

/// A range's rejections wait on disk, not in memory, and come back whole and in order.
@Suite struct RejectionSpillTests {
    static let reasons: [RejectionReason] = [
        .wrongFieldCount(expected: 9, found: 3), .brokenQuoting(column: "7 (place)"), .unterminatedQuote,
        .emptyRequiredField(column: "claim_id"), .badDate(column: "date", value: "2026-02-30"),
        .badUnits(column: "units", value: "x"), .badAmount(column: "paid", value: "1,2"),
        .badNumber(column: "line", value: "é"), .recordTooLarge(limit: 64 << 20),
        .badNPI(column: "rendering_npi", value: "1.20938E+9", problem: .scientificNotation),
    ]

    @Test func fiftyThousandRejectionsComeBackInOrderWhileMemoryHoldsOneBuffer() throws {
        let spill = RejectionSpill()
        let raw = String(repeating: "r", count: 500)
        func rejection(_ i: Int) -> Rejection {
            Rejection(
                source: SourceLocation(file: "in/claims.csv", line: i), reason: Self.reasons[i % Self.reasons.count],
                raw: i % 1000 == 0 ? String(repeating: "long ", count: 40_000) : "\(raw)\(i)")
        }
        for i in 0..<50_000 { try spill.append(rejection(i)) }
        #expect(spill.count == 50_000)
        #expect(spill.bytesWritten > 25_000_000)
        // One rejection past the limit at most: a long raw row is written out at once.
        #expect(spill.largestBuffer < RejectionSpill.bufferLimit + 200_100)
        var index = 0
        var matched = 0
        try spill.drain { got in
            if got == rejection(index) { matched += 1 }
            index += 1
        }
        #expect(index == 50_000)
        #expect(matched == 50_000)
        #expect(spill.count == 0)
    }

    @Test func theSpillFileIsNeverVisibleInTheTemporaryFolder() throws {
        let before = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())
            .filter { $0.hasPrefix("pumpaudit-rejected-") }
        let spill = RejectionSpill()
        // Enough to fill the buffer, so that the temporary file is made.
        for line in 1...5_000 {
            try spill.append(
                Rejection(source: SourceLocation(file: "a", line: line), reason: .unterminatedQuote, raw: "x"))
        }
        #expect(spill.bytesWritten > 0)
        let during = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())
            .filter { $0.hasPrefix("pumpaudit-rejected-") }
        #expect(during == before)
    }

    @Test func aFewRejectionsStayInMemoryAndComeBackInOrder() throws {
        let spill = RejectionSpill()
        for (line, reason) in Self.reasons.enumerated() {
            try spill.append(
                Rejection(source: SourceLocation(file: "f", line: line + 1), reason: reason, raw: "r\(line)"))
        }
        #expect(spill.bytesWritten == 0)
        var back: [Rejection] = []
        try spill.drain { back.append($0) }
        #expect(back.map(\.reason) == Self.reasons)
        #expect(back.map(\.raw) == Self.reasons.indices.map { "r\($0)" })
        #expect(spill.count == 0)
    }
}
