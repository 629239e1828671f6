import ClaimModel
import Testing

@testable import ClaimIngest

private let day = ServiceDate(year: 2026, month: 10, day: 5)!

private func line(
    _ claim: String, _ number: Int?, patient: String = "P1", code: String = "95990", units: Int = 1,
    file: String = "a.csv", npi: String? = "1111111112", adjustment: ClaimAdjustment = .original,
    paid: Int64? = 80_00
) -> ClaimLine {
    ClaimLine(
        source: SourceLocation(file: file, line: 2), claimID: claim, lineNumber: number, patientID: patient,
        serviceDate: day, code: code, units: units, renderingNPI: npi, paidAmount: paid.map { Money(cents: $0) },
        adjustment: adjustment)
}

@Suite struct LineReconciliationTests {
    @Test func aLineReadTwiceIsCountedOnce() {
        var lines = [line("C1", 1), line("C1", 2, code: "J0475", units: 2), line("C1", 1, file: "b.csv")]
        lines += [line("C1", 2, code: "J0475", units: 2, file: "b.csv")]
        let dropped = LineReconciliation.reconcile(&lines)
        #expect(lines.map(\.source.file) == ["a.csv", "a.csv"])
        #expect(dropped.duplicates == 2)
        #expect(dropped.total == 2)
    }

    /// Without line numbers, two equal rows of one export may be two services.
    @Test func unnumberedLinesAreDuplicatesOnlyAcrossFiles() {
        var lines = [line("C1", nil), line("C1", nil), line("C1", nil, file: "b.csv")]
        let dropped = LineReconciliation.reconcile(&lines)
        #expect(lines.count == 2)
        #expect(dropped.duplicates == 1)
    }

    @Test func aVoidRemovesTheClaimItVoids() {
        var lines = [line("C1", 1), line("C1", 1, file: "b.csv", adjustment: .void), line("C2", 1, patient: "P2")]
        let dropped = LineReconciliation.reconcile(&lines)
        #expect(lines.map(\.claimID) == ["C2"])
        #expect(dropped.voided == 2)
    }

    @Test func aReplacementReplacesTheEarlierVersion() {
        var lines = [line("C1", 1, units: 2), line("C1", 1, file: "b.csv", adjustment: .replacement)]
        let dropped = LineReconciliation.reconcile(&lines)
        #expect(lines.map(\.units) == [1])
        #expect(lines.first?.adjustment == .replacement)
        #expect(dropped.replaced == 1)
    }

    /// A reversal cancels the line of the same service with its absolute units, on its
    /// claim or from the same provider; one with nothing to cancel is dropped and counted.
    @Test func negativeUnitsOrAmountsCancelTheMatchingLine() {
        var lines = [
            line("C1", 1), line("C9", 1, units: -1, paid: -80_00), line("C2", 1, patient: "P2"),
            line("C3", 1, patient: "P2", units: 1, paid: -80_00), line("C4", 1, patient: "P3", units: -1),
        ]
        let dropped = LineReconciliation.reconcile(&lines)
        #expect(lines.isEmpty)
        #expect(dropped.reversed == 4)
        #expect(dropped.unmatched == 1)
    }

    @Test func aReversalFromAnotherProviderCancelsNothing() {
        var lines = [line("C1", 1), line("C9", 1, units: -1, npi: "1999999992")]
        let dropped = LineReconciliation.reconcile(&lines)
        #expect(lines.map(\.claimID) == ["C1"])
        #expect(dropped.unmatched == 1)
    }
}
