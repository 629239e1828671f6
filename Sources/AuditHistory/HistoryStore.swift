import ClaimModel
import Foundation
import GRDB

/// The embedded store of earlier runs: the pump-related lines each run read, so
/// that intervals and encounters can reach back into earlier months.
///
/// A line is identified by its source identity: claim id, line number, patient,
/// date of service, code and provider. A run replaces every claim it contains (by
/// claim id and patient), so running the same input twice stores it once, and a
/// corrected claim replaces the version before it. Each run's writes are one
/// transaction: a run that dies leaves the store as it was.
/// Safe to share between threads: every read and write goes through the database
/// queue, which runs one at a time, and `notes` is set only while opening.
public final class HistoryStore: @unchecked Sendable {
    public let path: String
    private let database: DatabaseQueue
    private let lock: RunLock
    /// What opening the store found and mended, for the run's log (a mode made owner-only).
    public private(set) var notes: [String] = []

    /// Opens (creating if needed) the store at `path`, owner-only, and takes the run
    /// lock, waiting up to `lockTimeout` seconds for another run to finish.
    public init(path: String, lockTimeout: TimeInterval = 120) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
            } catch {
                throw HistoryError.cannotOpen(path: path, reason: "cannot create the folder \(folder)")
            }
        }
        lock = try RunLock(storePath: path, timeout: lockTimeout)
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.label = "pumpaudit.history"
        do {
            let isNew = !FileManager.default.fileExists(atPath: path)
            if !isNew { notes = try Self.secure(path) }
            if isNew {
                // SQLite gives its journal the database file's mode: owner-only from the start.
                guard
                    FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
                else {
                    throw HistoryError.cannotOpen(path: path, reason: "cannot create the file")
                }
            }
            database = try DatabaseQueue(path: path, configuration: configuration)
            try HistorySchema.migrator.migrate(database)
        } catch let error as HistoryError {
            throw error
        } catch {
            throw HistoryError.cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// Makes an existing store owner-only when this user owns it, and warns of a store
    /// that another user owns, since that user can read and rewrite it.
    static func secure(_ path: String) throws -> [String] {
        let status: stat
        do {
            status = try SystemFile.status(path, followingLinks: false)
        } catch {
            throw HistoryError.cannotOpen(path: path, reason: error.reason)
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw HistoryError.cannotOpen(path: path, reason: "not a regular file")
        }
        guard status.st_uid == geteuid() else {
            return ["\(path) is owned by another user (uid \(status.st_uid)), who can read and change this history"]
        }
        let mode = status.st_mode & 0o777
        guard mode & 0o077 != 0 else { return [] }
        guard chmod(path, 0o600) == 0 else {
            throw HistoryError.cannotOpen(path: path, reason: "cannot make it owner-only")
        }
        return ["\(path) was readable by others (mode \(String(mode, radix: 8))); made owner-only (600)"]
    }

    /// The stored lines of `patients` on or after `since`, less those of the claims in
    /// `replacing` (this run's claims, whose stored versions this run supersedes).
    /// The patients are remembered as this run's, for `linesOfOtherPatients`.
    public func lines(patients: Set<String>, since: ServiceDate, replacing claims: Set<ClaimKey>) throws -> [ClaimLine]
    {
        guard !patients.isEmpty else { return [] }
        return try wrap {
            try database.write { db in
                try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS wanted_patient (patient_id TEXT PRIMARY KEY)")
                try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS run_patient (patient_id TEXT PRIMARY KEY)")
                try db.execute(sql: "DELETE FROM wanted_patient")
                let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO wanted_patient VALUES (?)")
                for patient in patients {
                    try insert.execute(arguments: [patient])
                }
                try db.execute(sql: "INSERT OR IGNORE INTO run_patient SELECT patient_id FROM wanted_patient")
                let rows = try Row.fetchCursor(
                    db,
                    sql: "SELECT \(HistorySchema.lineColumns) FROM claim_line JOIN wanted_patient USING (patient_id) "
                        + "WHERE service_date >= ? ORDER BY patient_id, service_date, claim_id, line_number",
                    arguments: [since.dayNumber])
                var lines: [ClaimLine] = []
                while let row = try rows.next() {
                    let line = try storedLine(row)
                    if !claims.contains(ClaimKey(line)) { lines.append(line) }
                }
                return lines
            }
        }
    }

    /// A stored row as a line; a value the store cannot read names its column.
    private func storedLine(_ row: Row) throws -> ClaimLine {
        do {
            return try HistorySchema.line(from: row)
        } catch let error as StoredValueError {
            throw HistoryError.badStoredValue(path: path, column: error.column)
        }
    }

    /// The stored lines dated `window` of every patient that `lines(patients:since:replacing:)`
    /// was not asked about since the store was opened: the patients this run does not
    /// hold, whose earlier lines no partition saw. Handed to `body` in batches of about
    /// `batchSize` lines, each batch holding every line of its patients.
    public func linesOfOtherPatients(
        in window: ClosedRange<ServiceDate>, batchSize: Int = 50_000, _ body: ([ClaimLine]) throws -> Void
    ) throws {
        try wrap {
            try database.write { db in
                try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS run_patient (patient_id TEXT PRIMARY KEY)")
                let rows = try Row.fetchCursor(
                    db,
                    sql: "SELECT \(HistorySchema.lineColumns) FROM claim_line WHERE service_date BETWEEN ? AND ? "
                        + "AND patient_id NOT IN (SELECT patient_id FROM run_patient) "
                        + "ORDER BY patient_id, service_date, claim_id, line_number",
                    arguments: [window.lowerBound.dayNumber, window.upperBound.dayNumber])
                var batch: [ClaimLine] = []
                while let row = try rows.next() {
                    let line = try storedLine(row)
                    if batch.count >= batchSize, batch.last?.patientID != line.patientID {
                        try body(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                    batch.append(line)
                }
                if !batch.isEmpty { try body(batch) }
            }
        }
    }

    /// Stores this run's lines in one transaction: every claim in `lines` replaces its
    /// stored version, and the run is recorded.
    public func record(_ lines: [ClaimLine], run: RunRecord) throws {
        try record(lines, run: run, findings: nil) { _ in }
    }

    /// Stores this run's lines and its findings in one transaction, and calls
    /// `beforeCommit` with what the store then holds before committing. A run writes
    /// its reports in `beforeCommit`: if they cannot be written, or the run is killed
    /// before they are, the transaction is never committed and the store stays as it was.
    public func record(
        _ lines: [ClaimLine], run: RunRecord, findings: FindingsLedgerEntry?,
        beforeCommit: (HistoryStatistics) throws -> Void
    ) throws {
        try record(run: run, findings: findings, lines: { add in try add(lines) }, beforeCommit: beforeCommit)
    }

    /// The same, with the lines handed over in batches by `lines`, which calls its
    /// argument once per batch: a partitioned run stores one partition at a time.
    /// Every line of a claim must come in one batch (a partition holds every line of
    /// its patients), since a batch's claims replace their stored versions.
    public func record(
        run: RunRecord, findings: FindingsLedgerEntry?,
        lines: (_ add: ([ClaimLine]) throws -> Void) throws -> Void,
        beforeCommit: (HistoryStatistics) throws -> Void
    ) throws {
        try wrap {
            try database.write { db in
                try db.execute(
                    sql: "INSERT INTO run (started_at, inputs, period, lines) VALUES (?, ?, ?, 0)",
                    arguments: [run.startedAt, run.inputs.joined(separator: "\n"), run.period])
                let runID = db.lastInsertedRowID
                let delete = try db.makeStatement(sql: "DELETE FROM claim_line WHERE claim_id = ? AND patient_id = ?")
                let insertLine = try db.makeStatement(sql: HistorySchema.insertLine)
                var stored = 0
                try lines { batch in
                    for claim in Set(batch.map(ClaimKey.init)) {
                        try delete.execute(arguments: [claim.claimID, claim.patientID])
                    }
                    for line in batch {
                        try insertLine.execute(arguments: HistorySchema.arguments(for: line, run: runID))
                    }
                    stored += batch.count
                }
                try db.execute(sql: "UPDATE run SET lines = ? WHERE id = ?", arguments: [stored, runID])
                if let findings { try insert(findings, db) }
                try beforeCommit(try statistics(db))
            }
        }
    }

    private func insert(_ findings: FindingsLedgerEntry, _ db: Database) throws {
        let insert = try db.makeStatement(
            sql: "INSERT OR IGNORE INTO finding_seen (period, finding_key, first_seen, fingerprint) VALUES (?, ?, ?, ?)"
        )
        for key in findings.keys {
            try insert.execute(arguments: [findings.period, key, findings.date, findings.fingerprint])
        }
    }

    /// When each finding of `period` was first reported, and by which inputs.
    public func findingsSeen(period: String) throws -> [String: SeenFinding] {
        try wrap {
            try database.read { db in
                var seen: [String: SeenFinding] = [:]
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT finding_key, first_seen, fingerprint FROM finding_seen WHERE period = ?",
                    arguments: [period])
                while let row = try rows.next() {
                    seen[row[0]] = SeenFinding(firstSeen: row[1], fingerprint: row[2])
                }
                return seen
            }
        }
    }

    /// Records this run's findings of `period`; a finding already recorded keeps its
    /// first date and fingerprint.
    public func recordFindings(_ keys: [String], period: String, date: String, fingerprint: String) throws {
        let entry = FindingsLedgerEntry(keys: keys, period: period, date: date, fingerprint: fingerprint)
        try wrap { try database.write { db in try insert(entry, db) } }
    }

    /// What the store holds, for the summary.
    public func statistics() throws -> HistoryStatistics {
        try wrap { try database.read { db in try statistics(db) } }
    }

    private func statistics(_ db: Database) throws -> HistoryStatistics {
        let row = try Row.fetchOne(
            db,
            sql: "SELECT COUNT(*), MIN(service_date), MAX(service_date), COUNT(DISTINCT patient_id) FROM claim_line")
        let runs = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run") ?? 0
        let first: Int32? = row?[1]
        let last: Int32? = row?[2]
        return HistoryStatistics(
            lines: row?[0] ?? 0, patients: row?[3] ?? 0, runs: runs,
            firstServiceDate: first.map(ServiceDate.init(dayNumber:)),
            lastServiceDate: last.map(ServiceDate.init(dayNumber:)))
    }

    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw HistoryError.database(path: path, reason: error.message ?? "\(error)")
        }
    }
}

/// A claim as the store replaces it: by claim id and patient.
public struct ClaimKey: Hashable, Sendable {
    public var claimID: String
    public var patientID: String

    public init(_ line: ClaimLine) {
        claimID = line.claimID
        patientID = line.patientID
    }

    public init(claimID: String, patientID: String) {
        self.claimID = claimID
        self.patientID = patientID
    }
}

/// When a finding was first reported, and by which inputs.
public struct SeenFinding: Sendable, Equatable {
    public var firstSeen: String
    public var fingerprint: String
}

/// The findings of a run of `period`, for the ledger of when each was first reported.
public struct FindingsLedgerEntry: Sendable {
    public var keys: [String]
    public var period: String
    public var date: String
    public var fingerprint: String

    public init(keys: [String], period: String, date: String, fingerprint: String) {
        self.keys = keys
        self.period = period
        self.date = date
        self.fingerprint = fingerprint
    }
}

/// One run as the store records it.
public struct RunRecord: Sendable {
    public var startedAt: String
    public var inputs: [String]
    /// The audited period, such as `2026-10`, when one was given.
    public var period: String?

    public init(startedAt: String, inputs: [String], period: String?) {
        self.startedAt = startedAt
        self.inputs = inputs
        self.period = period
    }
}

/// What a store holds.
public struct HistoryStatistics: Sendable, Equatable {
    public var lines: Int
    public var patients: Int
    public var runs: Int
    public var firstServiceDate: ServiceDate?
    public var lastServiceDate: ServiceDate?
}
