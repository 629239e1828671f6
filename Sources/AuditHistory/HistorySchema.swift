import ClaimModel
import Foundation
import GRDB

/// The store's tables, and how a claim line maps to a row and back.
enum HistorySchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("started_at", .text).notNull()
                t.column("inputs", .text).notNull()
                t.column("period", .text)
                t.column("lines", .integer).notNull()
            }
            try db.create(table: "claim_line") { t in
                t.column("claim_id", .text).notNull()
                // -1 when the export has no line numbers.
                t.column("line_number", .integer).notNull()
                t.column("patient_id", .text).notNull()
                t.column("service_date", .integer).notNull()
                t.column("code", .text).notNull()
                // Rendering NPI, else billing NPI, else empty.
                t.column("provider", .text).notNull()
                t.column("claim_type", .text).notNull()
                t.column("modifiers", .text).notNull()
                t.column("units", .integer).notNull()
                t.column("place_of_service", .text)
                t.column("bill_type", .text)
                t.column("rendering_npi", .text)
                t.column("billing_npi", .text)
                t.column("facility_npi", .text)
                t.column("rendering_credential", .text)
                t.column("justification", .text)
                t.column("charge_cents", .integer)
                t.column("allowed_cents", .integer)
                t.column("paid_cents", .integer)
                t.column("payer", .text)
                t.column("diagnoses", .text).notNull()
                t.column("reservoir_volume_ml", .double)
                t.column("daily_volume_ml", .double)
                t.column("source_file", .text).notNull()
                t.column("source_line", .integer).notNull()
                t.column("run_id", .integer).notNull().references("run")
                t.uniqueKey(
                    ["claim_id", "line_number", "patient_id", "service_date", "code", "provider"], onConflict: .replace)
            }
            try db.create(index: "claim_line_patient_date", on: "claim_line", columns: ["patient_id", "service_date"])
        }
        migrator.registerMigration("v2 findings ledger") { db in
            // The findings each period's audits reported, for new-versus-recurring status.
            try db.create(table: "finding_seen") { t in
                t.column("period", .text).notNull()
                t.column("finding_key", .text).notNull()
                // YYYY-MM-DD of the first run that reported it.
                t.column("first_seen", .text).notNull()
                // The input fingerprint of that run: a rerun of the same inputs is the same audit.
                t.column("fingerprint", .text).notNull()
                t.primaryKey(["period", "finding_key"])
            }
        }
        migrator.registerMigration("v3 claim span") { db in
            // The claim's first and last dates (day numbers): an inpatient stay covers every
            // day of its span, also when a later month's run reads it back.
            try db.alter(table: "claim_line") { t in
                t.add(column: "claim_start", .integer)
                t.add(column: "claim_end", .integer)
            }
        }
        return migrator
    }

    static let lineColumns = """
        claim_id, line_number, patient_id, service_date, code, claim_type, modifiers, units, place_of_service, \
        bill_type, rendering_npi, billing_npi, facility_npi, rendering_credential, justification, charge_cents, \
        allowed_cents, paid_cents, payer, diagnoses, reservoir_volume_ml, daily_volume_ml, source_file, source_line, \
        claim_start, claim_end
        """

    static let insertLine = """
        INSERT INTO claim_line (\(lineColumns), provider, run_id) \
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static func arguments(for line: ClaimLine, run: Int64) -> StatementArguments {
        let values: [(any DatabaseValueConvertible)?] = [
            line.claimID, line.lineNumber ?? -1, line.patientID, line.serviceDate.dayNumber, line.code,
            line.claimType.rawValue, line.modifiers.joined(separator: ","), line.units, line.placeOfService,
            line.billType, line.renderingNPI, line.billingNPI, line.facilityNPI, line.renderingCredential,
            line.justification, line.chargeAmount?.cents, line.allowedAmount?.cents, line.paidAmount?.cents,
            line.payer, (line.diagnosisCodes ?? []).joined(separator: ","), line.reservoirVolumeML, line.dailyVolumeML,
            line.source.file, line.source.line, line.claimSpan?.lowerBound.dayNumber,
            line.claimSpan?.upperBound.dayNumber,
            line.providerNPI ?? "", run,
        ]
        return StatementArguments(values)
    }

    static let lineColumnNames = lineColumns.split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A stored line, read strictly: a value of the wrong type (a store damaged, or
    /// written by another program) throws `StoredValueError` naming its column, and is
    /// never printed, since the row holds patient data.
    static func line(from row: Row) throws -> ClaimLine {
        let stored = StoredRow(row: row)
        let lineNumber: Int = try stored[1]
        let modifiers: String = try stored[6]
        let diagnoses: String = try stored[19]
        let claimType: String = try stored[5]
        let charge: Int64? = try stored.optional(15)
        let allowed: Int64? = try stored.optional(16)
        let paid: Int64? = try stored.optional(17)
        let spanStart: Int32? = try stored.optional(24)
        let spanEnd: Int32? = try stored.optional(25)
        let span = spanStart.flatMap { start in
            spanEnd.map { ServiceDate(dayNumber: start)...ServiceDate(dayNumber: max(start, $0)) }
        }
        var line = ClaimLine(
            source: SourceLocation(file: try stored[22], line: try stored[23]), claimID: try stored[0],
            lineNumber: lineNumber < 0 ? nil : lineNumber,
            claimType: ClaimType(rawValue: claimType) ?? .professional, patientID: try stored[2],
            serviceDate: ServiceDate(dayNumber: try stored[3]), code: try stored[4],
            modifiers: modifiers.split(separator: ",").map(String.init), units: try stored[7],
            placeOfService: try stored.optional(8), billType: try stored.optional(9),
            renderingNPI: try stored.optional(10), billingNPI: try stored.optional(11),
            facilityNPI: try stored.optional(12), renderingCredential: try stored.optional(13),
            justification: try stored.optional(14), chargeAmount: charge.map(Money.init(cents:)),
            allowedAmount: allowed.map(Money.init(cents:)), paidAmount: paid.map(Money.init(cents:)),
            payer: try stored.optional(18), diagnosisCodes: diagnoses.split(separator: ",").map(String.init),
            reservoirVolumeML: try stored.optional(20), dailyVolumeML: try stored.optional(21), claimSpan: span)
        line.fromHistory = true
        return line
    }
}

/// A stored value of the wrong type, by its column.
struct StoredValueError: Error {
    let column: String
}

/// Typed reads of a stored row that throw instead of trapping on a wrong type.
struct StoredRow {
    let row: Row

    subscript<T: DatabaseValueConvertible>(index: Int) -> T {
        get throws {
            guard let value = try optional(index) as T? else {
                throw StoredValueError(column: HistorySchema.lineColumnNames[index])
            }
            return value
        }
    }

    func optional<T: DatabaseValueConvertible>(_ index: Int) throws -> T? {
        let value: DatabaseValue = row[index]
        if value.isNull { return nil }
        guard let converted = T.fromDatabaseValue(value) else {
            throw StoredValueError(column: HistorySchema.lineColumnNames[index])
        }
        return converted
    }
}
