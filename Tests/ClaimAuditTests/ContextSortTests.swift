import ClaimModel
import TestSupport
import Testing

@testable import ClaimAudit

@Suite struct ContextSortTests {
    @Test(arguments: [0, 1, 2, 17, 1000])
    func theInPlaceSortMatchesArraySorted(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count) &+ 0x5EED)
        let lines = (0..<count).map { index in
            ClaimLine(
                source: SourceLocation(file: "f.csv", line: index + 2),
                claimID: "C\(Int.random(in: 0..<40, using: &generator))",
                lineNumber: Int.random(in: 1...3, using: &generator),
                patientID: "P\(Int.random(in: 0..<9, using: &generator))",
                serviceDate: ServiceDate(dayNumber: Int32.random(in: 20_000..<20_030, using: &generator)), code: "62369"
            )
        }
        let expected = lines.enumerated().sorted { x, y in
            let (a, b) = (x.element, y.element)
            if a.patientID != b.patientID { return a.patientID < b.patientID }
            if ClaimLine.chronologicalOrder(a, b) { return true }
            if ClaimLine.chronologicalOrder(b, a) { return false }
            return x.offset < y.offset
        }.map(\.element)
        var sorted = lines
        AuditContext.sortByPatientThenDate(&sorted)
        #expect(sorted == expected, "\(generator)")
    }
}
