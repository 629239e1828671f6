/// The reference data pumpaudit uses when the user loads no CMS file: the CMS NCCI
/// PTP and MUE rows for the pump codes, effective 2024-07-01, practitioner and
/// outpatient hospital, embedded from `Data/` (see `Data/README.md` for their source
/// and caveats). They carry no effective dates; load the current CMS files with
/// `--ptp`, `--ptp-outpatient`, `--mue` and `--mue-outpatient` for the values in force.
public enum BuiltInReference {
    /// The date of the CMS tables the built-in rows were taken from.
    public static let tableDate = "2024-07-01"

    /// Effective date given to the built-in edits: the derived copy has none, and
    /// every claim audited falls after the date the edits began.
    static let alwaysEffective = ServiceDate(year: 1996, month: 1, day: 1)!

    /// How findings and the summary name a built-in table: "built-in NCCI practitioner PTP 2024-07-01".
    public static func ptpName(_ setting: ReferenceSetting) -> String {
        "built-in NCCI \(setting.name) PTP \(tableDate)"
    }

    /// "built-in practitioner MUE 2024-07-01".
    public static func mueName(_ setting: ReferenceSetting) -> String {
        "built-in \(setting.name) MUE \(tableDate)"
    }

    /// The built-in PTP edits of `setting`, deleted rows included (they never fire).
    public static func ptpEdits(_ setting: ReferenceSetting) -> [PTPEdit] {
        let data =
            switch setting {
            case .practitioner: PackageResources.ncci_ptp_practitioner_pump_2024q3_csv
            case .outpatientHospital: PackageResources.ncci_ptp_outpatient_pump_2024q3_csv
            }
        let source = ptpName(setting)
        // Columns: service, column1, column2, deletion (99991231 = active), modifier, rationale.
        return ReferenceDataCSV.rows(data, columns: 6).map { row in
            let deletion = row[3] == "99991231" ? nil : ServiceDate(row[3], layout: .compact)
            return PTPEdit(
                column1: row[1], column2: row[2], effective: alwaysEffective, deleted: deletion,
                modifierIndicator: PTPEdit.ModifierIndicator(rawValue: Int(row[4])!)!, rationale: row[5],
                source: source)
        }
    }

    /// The codes of the built-in MUE table, read once.
    public static let mueCodes = Set(mueEdits(.practitioner).map(\.code))

    /// The built-in MUE values of `setting`.
    public static func mueEdits(_ setting: ReferenceSetting) -> [MUEEdit] {
        let source = mueName(setting)
        // Columns: hcpcs_code, then units, MAI and rationale for practitioners, then for outpatient hospitals.
        let offset = setting == .practitioner ? 1 : 4
        return ReferenceDataCSV.rows(PackageResources.ncci_mue_pump_2024q3_csv, columns: 7).map { row in
            MUEEdit(
                code: row[0], maximumUnits: Int(row[offset])!,
                indicator: MUEEdit.AdjudicationIndicator(rawValue: Int(row[offset + 1])!)!,
                rationale: row[offset + 2], source: source)
        }
    }
}

/// Reads the derived CSVs in `Data/`: a header row, then comma-separated rows whose
/// text fields are double-quoted. They ship inside the binary, so a malformed row is
/// a build defect the reference-data test catches, not a user error.
enum ReferenceDataCSV {
    /// The data rows, header dropped, each with exactly `columns` fields.
    static func rows(_ bytes: [UInt8], columns: Int) -> [[String]] {
        let text = String(decoding: bytes, as: UTF8.self)
        let rows = text.split(whereSeparator: \.isNewline).dropFirst().map(fields)
        precondition(rows.allSatisfy { $0.count == columns }, "a built-in reference row has the wrong field count")
        return rows
    }

    /// The fields of one line; a quoted field may hold commas and doubled quotes.
    static func fields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            switch character {
            case "\"" where quoted:
                // A doubled quote inside a quoted field is one quote.
                if let next = iterator.next() {
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        quoted = false
                        if next == "," {
                            fields.append(field)
                            field = ""
                        } else {
                            field.append(next)
                        }
                    }
                } else {
                    quoted = false
                }
            case "\"" where field.isEmpty:
                quoted = true
            case "," where !quoted:
                fields.append(field)
                field = ""
            default:
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }
}
