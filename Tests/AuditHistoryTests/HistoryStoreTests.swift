import ClaimModel
import Foundation
import GRDB
import TestSupport
import Testing

@testable import AuditHistory

private func line(
    _ claim: String, _ number: Int, patient: String = "P1", date: String, code: String = "62369",
    units: Int = 1, file: String = "sept.csv"
) -> ClaimLine {
    let parts = date.split(separator: "-").map { Int($0)! }
    return ClaimLine(
        source: SourceLocation(file: file, line: number + 1), claimID: claim, lineNumber: number, patientID: patient,
        serviceDate: ServiceDate(year: parts[0], month: parts[1], day: parts[2])!, code: code, modifiers: ["JZ", "59"],
        units: units, placeOfService: "11", renderingNPI: "1111111112", renderingCredential: "MD",
        justification: "deep pump", paidAmount: Money(cents: 12_050), payer: "Medicare", diagnosisCodes: ["G35"],
        reservoirVolumeML: 40, dailyVolumeML: 0.5)
}

extension ScratchFolder {
    /// The history store's path, in a subfolder the store makes itself.
    fileprivate var store: String { file("store/history.sqlite") }
}

private let run = RunRecord(startedAt: "2026-11-01T00:00:00Z", inputs: ["sept.csv"], period: "2026-09")
private let longAgo = ServiceDate(year: 2000, month: 1, day: 1)!

@Suite struct HistoryStoreTests {
    @Test func linesRoundTripWithEveryValue() throws {
        let folder = ScratchFolder()
        let original = line("C1", 1, date: "2026-09-10")
        try HistoryStore(path: folder.store).record([original], run: run)
        let loaded = try HistoryStore(path: folder.store).lines(patients: ["P1"], since: longAgo, replacing: [])
        #expect(loaded.count == 1)
        var expected = original
        expected.fromHistory = true
        #expect(loaded.first == expected)
    }

    /// An inpatient stay read back next month still covers every day of it.
    @Test func aClaimSpanRoundTrips() throws {
        let folder = ScratchFolder()
        var stay = line("F1", 1, date: "2026-09-28")
        stay.claimSpan = stay.serviceDate...stay.serviceDate.adding(days: 5)
        try HistoryStore(path: folder.store).record([stay, line("C1", 1, date: "2026-09-10")], run: run)
        let loaded = try HistoryStore(path: folder.store).lines(patients: ["P1"], since: longAgo, replacing: [])
        #expect(loaded.first { $0.claimID == "F1" }?.claimSpan == stay.claimSpan)
        #expect(loaded.first { $0.claimID == "C1" }?.claimSpan == nil)
    }

    @Test func theSameInputTwiceIsStoredOnce() throws {
        let folder = ScratchFolder()
        let lines = [line("C1", 1, date: "2026-09-10"), line("C1", 2, date: "2026-09-10", code: "J0475")]
        try HistoryStore(path: folder.store).record(lines, run: run)
        try HistoryStore(path: folder.store).record(lines, run: run)
        let statistics = try HistoryStore(path: folder.store).statistics()
        #expect(statistics.lines == 2)
        #expect(statistics.runs == 2)
        #expect(statistics.patients == 1)
    }

    @Test func aCorrectedClaimReplacesTheOlderVersion() throws {
        let folder = ScratchFolder()
        try HistoryStore(path: folder.store).record(
            [line("C1", 1, date: "2026-09-10"), line("C1", 2, date: "2026-09-10", code: "95990")], run: run)
        // The corrected claim drops line 2 and changes line 1's units.
        try HistoryStore(path: folder.store).record([line("C1", 1, date: "2026-09-10", units: 2)], run: run)
        let loaded = try HistoryStore(path: folder.store).lines(patients: ["P1"], since: longAgo, replacing: [])
        #expect(loaded.map(\.units) == [2])
        #expect(loaded.map(\.code) == ["62369"])
    }

    @Test func loadingLeavesOutThisRunsClaimsOtherPatientsAndOldLines() throws {
        let folder = ScratchFolder()
        try HistoryStore(path: folder.store).record(
            [
                line("C1", 1, date: "2026-09-10"), line("C2", 1, date: "2026-09-20"),
                line("C3", 1, patient: "P2", date: "2026-09-20"),
                line("C0", 1, date: "2023-01-05"),
            ], run: run)
        let store = try HistoryStore(path: folder.store)
        let loaded = try store.lines(
            patients: ["P1"], since: ServiceDate(year: 2025, month: 1, day: 1)!,
            replacing: [ClaimKey(line("C2", 1, date: "2026-09-20"))])
        #expect(loaded.map(\.claimID) == ["C1"])
        #expect(loaded.allSatisfy { $0.fromHistory })
    }

    @Test func theStoreIsOwnerOnly() throws {
        let folder = ScratchFolder()
        try HistoryStore(path: folder.store).record([line("C1", 1, date: "2026-09-10")], run: run)
        let mode = try FileManager.default.attributesOfItem(atPath: folder.store)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let folderMode =
            try FileManager.default.attributesOfItem(atPath: folder.file("store"))[.posixPermissions] as? Int
        #expect(folderMode == 0o700)
    }

    @Test func aSecondRunWaitsThenFailsClearly() throws {
        let folder = ScratchFolder()
        do {
            let first = try HistoryStore(path: folder.store)
            let started = Date()
            #expect(throws: HistoryError.inUse(path: folder.store, waitedSeconds: 1)) {
                try HistoryStore(path: folder.store, lockTimeout: 1)
            }
            #expect(Date().timeIntervalSince(started) >= 0.9)
            withExtendedLifetime(first) {}
        }
        // Released when the first run ends.
        _ = try HistoryStore(path: folder.store, lockTimeout: 1)
    }

    @Test func aWriteThatFailsHalfwayLeavesTheStoreAsItWas() throws {
        let folder = ScratchFolder()
        try HistoryStore(path: folder.store).record([line("C1", 1, date: "2026-09-10")], run: run)
        // A trigger makes the second insert of the next run fail, after that run has
        // already deleted the stored version of claim C1 it replaces.
        try DatabaseQueue(path: folder.store).write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER fail_midway BEFORE INSERT ON claim_line WHEN NEW.claim_id = 'BOOM'
                    BEGIN SELECT RAISE(ABORT, 'disk full'); END
                    """)
        }
        #expect(throws: HistoryError.self) {
            try HistoryStore(path: folder.store).record(
                [line("C1", 1, date: "2026-09-10", units: 3), line("BOOM", 1, date: "2026-09-11")], run: run)
        }
        let store = try HistoryStore(path: folder.store)
        #expect(try store.statistics().runs == 1)
        let loaded = try store.lines(patients: ["P1"], since: longAgo, replacing: [])
        #expect(loaded.map(\.units) == [1])
    }

    @Test func anUnopenableStoreSaysWhere() {
        #expect {
            try HistoryStore(path: "/proc/pumpaudit/history.sqlite")
        } throws: { error in
            "\(error)".contains("/proc/pumpaudit/history.sqlite")
        }
    }
}
