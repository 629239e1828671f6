import Foundation
import Testing

@testable import ClaimModel

/// What a partitioned run writes to its temporary files comes back exactly, each
/// patient whole in one partition and in the order read.
@Suite struct PatientPartitionsTests {
    static let files = ["in/claims-a.csv", "in/claims-b.csv"]

    /// A line with every field set, or every optional field empty.
    static func line(_ i: Int, patient: String, full: Bool) -> ClaimLine {
        let date = ServiceDate(year: 2026, month: 1 + i % 12, day: 1 + i % 28)!
        guard full else {
            return ClaimLine(
                source: SourceLocation(file: files[i % 2], line: i + 2), claimID: "C\(i)", patientID: patient,
                serviceDate: date, code: "99214")
        }
        var line = ClaimLine(
            source: SourceLocation(file: i % 3 == 0 ? "history/earlier.csv" : files[i % 2], line: i + 2),
            claimID: "CLM-\(i)-é", lineNumber: i % 7, claimType: i % 2 == 0 ? .professional : .institutional,
            patientID: patient, serviceDate: date, code: ["62370", "J0475", "95991"][i % 3],
            modifiers: i % 4 == 0 ? [] : ["JW", "59"], units: i % 5 == 0 ? -2 : 3_000_000, placeOfService: "11",
            billType: "131", renderingNPI: "1234567893", billingNPI: "", facilityNPI: "1902345678",
            renderingCredential: "MD", justification: "fluoroscopy, \"deep\" pocket\nsecond line",
            chargeAmount: Money(cents: -12_345), allowedAmount: Money(cents: 0), paidAmount: Money(cents: Int64.max),
            payer: "Medicare", diagnosisCodes: ["G89.4", "R52"], reservoirVolumeML: 40.25, dailyVolumeML: 0.1,
            claimSpan: date...date.adding(days: i % 9), adjustment: [.original, .replacement, .void][i % 3])
        line.fromHistory = i % 6 == 0
        return line
    }

    @Test func aLineWithEveryFieldOrNoneComesBackEqual() throws {
        let coding = ClaimLineCoding(files: Self.files)
        let lines = (0..<60).map { Self.line($0, patient: "P\($0)", full: $0 % 2 == 0) }
        var bytes: [UInt8] = []
        for line in lines { coding.encode(line, into: &bytes) }
        var decoder = SpillDecoder(bytes, purpose: "test")
        for line in lines {
            let back = try coding.decode(from: &decoder)
            #expect(back == line)
            #expect(back.fromHistory == line.fromHistory)
            #expect(back.family == line.family)
        }
        #expect(decoder.isAtEnd)
    }

    /// A deferred row's fields become the line they would have been written as and read
    /// back: text as bytes (upper-cased or not) or as strings, every optional value set
    /// or empty, diagnosis columns or none, a stored value of every kind.
    @Test func fieldsMadeALineDirectlyAreTheLineTheCodingGivesBack() throws {
        let coding = ClaimLineCoding(files: Self.files)
        let kinds: [StoredFieldValue.Value?] = [
            nil, .wholeNumber(-7), .decimal(2.5), .money(Money(cents: 1_999)),
            .date(ServiceDate(year: 2026, month: 2, day: 28)!),
        ]
        let raw: [UInt8] = Array("p-71ab|clm-9|j0475|jw|ndc-00409".utf8)
        try raw.withUnsafeBufferPointer { raw in
            func bytes(_ from: Int, _ to: Int, upper: Bool = false) -> SpillText {
                .bytes(UnsafeBufferPointer(rebasing: raw[from..<to]), upperCased: upper)
            }
            var all: [ClaimLineFields] = (0..<30).map {
                ClaimLineFields(Self.line($0, patient: "P\($0)", full: $0 % 2 == 0))
            }
            for i in 0..<10 {
                var fields = ClaimLineFields()
                fields.file = i % 2 == 0 ? Self.files[1] : "elsewhere/other.csv"
                fields.sourceLine = 40 + i
                fields.patientID = bytes(0, 6, upper: i % 2 == 1)
                fields.claimID = bytes(7, 12)
                fields.code = bytes(13, 18, upper: true)
                fields.modifiers = i % 3 == 0 ? [] : [bytes(19, 21, upper: true), .string("59")]
                fields.placeOfService = i % 2 == 0 ? .string("22") : nil
                fields.hasDiagnosisColumns = i % 4 != 0
                fields.diagnosisCodes = i % 4 == 1 ? [] : [.string("G89.4")]
                fields.claimType = i % 2 == 0 ? .institutional : .professional
                fields.adjustment = i % 3 == 2 ? .void : .original
                fields.dailyVolumeML = i % 2 == 0 ? 0.3 : nil
                if i < 5 {
                    fields.stored = [StoredFieldValue(slot: 0, value: .text(bytes(22, 31, upper: i % 2 == 0)))]
                } else if let kind = kinds[i - 5] {
                    fields.stored = [StoredFieldValue(slot: 0, value: kind)]
                }
                all.append(fields)
            }
            for fields in all {
                var bytes: [UInt8] = []
                coding.encode(fields, into: &bytes)
                var decoder = SpillDecoder(bytes, purpose: "test")
                let back = try coding.decode(from: &decoder)
                let direct = ClaimLine(fields)
                #expect(direct == back)
                #expect(direct.fromHistory == back.fromHistory)
                #expect(direct.family == back.family)
                #expect(direct.storedValues == back.storedValues)
            }
        }
    }

    @Test func everyLineOfAPatientIsInOnePartitionInTheOrderAppended() throws {
        let partitions = PatientPartitions(count: 7, coding: ClaimLineCoding(files: Self.files))
        let patients = (0..<40).map { "PP\($0)" }
        var appended: [ClaimLine] = []
        // Three writers, as for a file read on one core and another cut in two ranges;
        // the second range's lines are numbered from 0 and moved by its offset.
        let writers = [partitions.makeWriter(), partitions.makeWriter(), partitions.makeWriter()]
        let discarded = partitions.makeWriter()
        for i in 0..<2_000 {
            let line = Self.line(i, patient: patients[(i * 7919) % patients.count], full: i % 3 != 1)
            appended.append(line)
            var written = line
            if i >= 1_500 { written.source.line -= 10_000 }
            try writers[i < 700 ? 0 : i < 1_500 ? 1 : 2].append(written)
            try discarded.append(line)
        }
        try partitions.adopt(writers[0])
        try partitions.adopt(writers[1])
        try partitions.adopt(writers[2], lineOffset: 10_000)
        try partitions.finish()
        #expect(partitions.linesWritten == 2_000)
        #expect(partitions.earliestDate == appended.map(\.serviceDate).min())
        var seen: [String: Int] = [:]
        var total = 0
        var used = 0
        for partition in 0..<partitions.count {
            let lines = try partitions.lines(of: partition)
            if !lines.isEmpty { used += 1 }
            total += lines.count
            for line in lines {
                #expect(partitions.partition(of: line.patientID) == partition)
                #expect(seen[line.patientID, default: partition] == partition)
                seen[line.patientID] = partition
            }
            // The partition is the appended lines of its patients, in order.
            #expect(lines == appended.filter { partitions.partition(of: $0.patientID) == partition })
        }
        #expect(total == 2_000)
        #expect(used > 1)
    }

    @Test func aWriterFinishedWithItsRangeIsAdoptedWhole() throws {
        let partitions = PatientPartitions(count: 5, coding: ClaimLineCoding(files: Self.files))
        let first = partitions.makeWriter()
        let second = partitions.makeWriter()
        var appended: [ClaimLine] = []
        // Enough lines that some partitions' buffers were written out before the end, and
        // some still held lines when the range ended.
        for i in 0..<3_000 {
            let line = Self.line(i, patient: "R\((i * 31) % 97)", full: i % 2 == 0)
            appended.append(line)
            try (i < 1_800 ? first : second).append(line)
        }
        // As a range does when it has been read; a second call finds nothing to write.
        try first.finishRange()
        try first.finishRange()
        try second.finishRange()
        try partitions.adopt(first)
        try partitions.adopt(second)
        try partitions.finish()
        #expect(partitions.linesWritten == 3_000)
        var total = 0
        for partition in 0..<partitions.count {
            let lines = try partitions.lines(of: partition)
            total += lines.count
            #expect(lines == appended.filter { partitions.partition(of: $0.patientID) == partition })
        }
        #expect(total == 3_000)
    }

    @Test(arguments: [true, false])
    func theChosenPatientsLinesAreDecodedWhateverTheirIds(listingEveryPatient: Bool) throws {
        let partitions = PatientPartitions(count: 1, coding: ClaimLineCoding(files: Self.files))
        let writer = partitions.makeWriter()
        // Ids that are not ASCII are looked up as strings, the others by their bytes' hash first.
        let patients = ["P0", "Zoë", "P2", "張三", "P4"]
        var appended: [ClaimLine] = []
        for i in 0..<100 {
            var line = Self.line(i, patient: patients[i % 5], full: i % 2 == 0)
            line.code = i % 5 == 1 ? "62370" : "99214"
            appended.append(line)
            try writer.append(line)
        }
        try partitions.adopt(writer)
        try partitions.finish()
        var scanned = PatientPartitions.Scan()
        let chosen: Set<String> = ["Zoë", "張三", "P4", "nobody"]
        let read = try partitions.read(0, listingEveryPatient: listingEveryPatient) { scan in
            scanned = scan
            return chosen
        }
        let (lines, leftOut) = (read.lines, read.leftOut)
        #expect(lines == appended.filter { chosen.contains($0.patientID) })
        #expect(lines.count == 60)
        #expect(leftOut == 40)
        #expect(scanned.lineCount == 100)
        #expect(scanned.pumpPatients == ["Zoë"])
        // Every patient and claim is listed only when asked for (a history store looks them up).
        #expect(scanned.patients == (listingEveryPatient ? Set(patients) : []))
        #expect(scanned.claims.map(\.claimID) == (listingEveryPatient ? appended.map(\.claimID) : []))
    }

    @Test func aScanOfTheHeadsChoosesWhichPatientsAreDecoded() throws {
        let partitions = PatientPartitions(count: 1, coding: ClaimLineCoding(files: Self.files))
        let writer = partitions.makeWriter()
        var appended: [ClaimLine] = []
        for i in 0..<90 {
            // Patients P0-P2 have pump services (62370, 95991); P3-P5 only J0475 lines.
            var line = Self.line(i, patient: "P\(i % 6)", full: true)
            line.code = i % 6 < 3 ? "62370" : "J0475"
            appended.append(line)
            try writer.append(line)
        }
        try partitions.adopt(writer)
        try partitions.finish()
        var scanned = PatientPartitions.Scan()
        let read = try partitions.read(0) { scan in
            scanned = scan
            return scan.pumpPatients
        }
        let (lines, leftOut) = (read.lines, read.leftOut)
        #expect(scanned.lineCount == 90)
        #expect(scanned.patients == Set((0..<6).map { "P\($0)" }))
        #expect(scanned.pumpPatients == ["P0", "P1", "P2"])
        #expect(scanned.claims.map(\.claimID) == appended.map(\.claimID))
        #expect(lines == appended.filter { ["P0", "P1", "P2"].contains($0.patientID) })
        #expect(leftOut == 45)
    }

    @Test func thePartitionOfAPatientIsTheSameInEveryProcess() {
        // FNV-1a 64 of "PP0000001" is fixed; Swift's Hasher would differ per process.
        let partitions = PatientPartitions(count: 1000, coding: ClaimLineCoding(files: []))
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "PP0000001".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        #expect(partitions.partition(of: "PP0000001") == Int(hash % 1000))
        #expect(PatientPartitions.count(forInputBytes: 0) == 1)
        #expect(PatientPartitions.count(forInputBytes: PatientPartitions.inputBytesPerPartition * 10) == 11)
        #expect(PatientPartitions.count(forInputBytes: Int.max / 2) == PatientPartitions.maximumCount)
    }

    @Test func aCutShortOrDamagedRecordThrowsInsteadOfTrapping() {
        let coding = ClaimLineCoding(files: Self.files)
        var bytes: [UInt8] = []
        coding.encode(Self.line(4, patient: "P", full: true), into: &bytes)
        for cut in stride(from: 0, to: bytes.count - 1, by: 3) {
            var decoder = SpillDecoder(Array(bytes[..<cut]), purpose: "test")
            #expect(throws: SpillError.self) { try coding.decode(from: &decoder) }
        }
        // The file index, just after the head: one past the table.
        var head = SpillDecoder(bytes, purpose: "test")
        _ = try? coding.decodeHead(from: &head)
        var damaged = bytes
        damaged[head.position] = 0x7F
        var decoder = SpillDecoder(damaged, purpose: "test")
        #expect(throws: SpillError.damaged("claim lines")) { try coding.decode(from: &decoder) }
    }

    @Test func theSpillWritesThroughItsBufferAndReadsBackAnyRange() throws {
        let spill = SpillFile(purpose: "test bytes", bufferLimit: 1000)
        var expected: [UInt8] = []
        for i in 0..<5_000 {
            let chunk = (0..<(i % 13)).map { UInt8(truncatingIfNeeded: i &+ $0) }
            expected += chunk
            try spill.append { $0 += chunk }
        }
        #expect(spill.bytesWritten > 0)
        #expect(spill.size - spill.bytesWritten < 1000)
        try spill.flush()
        #expect(spill.bytesWritten == expected.count)
        #expect(try spill.read(at: 0, count: expected.count) == expected)
        #expect(try spill.read(at: 1234, count: 777) == Array(expected[1234..<2011]))
    }
}
