import Testing

@testable import ClaimModel

/// The line's value store: what rules read through a `LineField`, and what the
/// partition coding writes and reads back.
@Suite struct LineValuesTests {
    private func line() -> ClaimLine {
        ClaimLine(
            source: SourceLocation(file: "a.csv", line: 2), claimID: "C1", patientID: "P1",
            serviceDate: ServiceDate(year: 2026, month: 10, day: 5)!, code: "J0475")
    }

    private func roundTrip(_ fields: ClaimLineFields) throws -> ClaimLine {
        let coding = ClaimLineCoding(files: ["a.csv"])
        var bytes: [UInt8] = []
        coding.encode(fields, into: &bytes)
        var decoder = SpillDecoder(bytes, purpose: "test")
        let line = try coding.decode(from: &decoder)
        #expect(decoder.isAtEnd)
        return line
    }

    @Test func aValueSetOnALineComesBackThroughThePartitionForm() throws {
        var line = line()
        line[.ndcCode] = "00409123401"
        #expect(line[.ndcCode] == "00409123401")
        let back = try roundTrip(ClaimLineFields(line))
        #expect(back == line)
        #expect(back[.ndcCode] == "00409123401")
    }

    @Test func aValueRemovedLeavesTheLineAsIfNeverSet() {
        let plain = line()
        var changed = plain
        changed[.ndcCode] = "1"
        #expect(changed != plain)
        changed[.ndcCode] = nil
        #expect(changed == plain)
        #expect(changed.hashValue == plain.hashValue)
    }

    @Test(arguments: [
        LineValue.text("Ü-1"), .wholeNumber(-7), .decimal(0.125), .money(Money(cents: -1_250)),
        .date(ServiceDate(year: 1999, month: 12, day: 31)!),
    ])
    func everyKindOfValueKeepsItsKindAndValue(value: LineValue) throws {
        var fields = ClaimLineFields(line())
        fields.stored = [StoredFieldValue(slot: 0, value)]
        #expect(try roundTrip(fields).storedValues[0] == value)
    }

    @Test(arguments: [ClaimField.stored.count, 1_000])
    func aSlotNoFieldHoldsIsDamage(slot: Int) {
        var fields = ClaimLineFields(line())
        fields.stored = [StoredFieldValue(slot: slot, .text("x"))]
        #expect(throws: SpillError.self) { try roundTrip(fields) }
    }

    @Test func everyStoredFieldIsAColumnOfTheValueStoreFoundByItsSlot() {
        #expect(Set(ClaimField.stored).count == ClaimField.stored.count)
        for (slot, field) in ClaimField.stored.enumerated() {
            #expect(ClaimField.all.contains(field))
            #expect(ClaimField(canonicalName: field.canonicalName) == field)
            if case .line = field.storage { Issue.record("\(field) is stored but reads as a line field") }
            #expect(ClaimField.stored.firstIndex(of: field) == slot)
        }
        #expect(LineField<String>.ndcCode.slot == ClaimField.stored.firstIndex(of: LineField<String>.ndcCode.field))
    }
}
