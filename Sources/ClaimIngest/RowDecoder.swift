import ClaimModel

/// Turns one record of a file into a claim line, an out-of-scope row, or a rejection.
///
/// Every row is validated the same way, whatever its code, so a malformed row is
/// rejected even when no rule would have looked at it. Only rows that some rule
/// needs (pump services, E/M, pump drugs and institutional claims) build strings.
struct RowDecoder {
    enum Outcome {
        case kept(ClaimLine)
        case outOfScope
        case rejected(RejectionReason)
    }

    let file: String
    let map: ColumnMap
    private let claimID: Int
    private let patientID: Int
    private let serviceDate: Int
    private let code: Int
    private let modifierColumns: [Int]
    private let diagnosisColumns: [Int]

    init(file: String, map: ColumnMap) {
        self.file = file
        self.map = map
        // ColumnMap guarantees the required fields.
        claimID = map[.claimID]!
        patientID = map[.patientID]!
        serviceDate = map[.serviceDate]!
        code = map[.code]!
        modifierColumns = (1...5).compactMap { map[.modifier($0)] }
        diagnosisColumns = (1...25).compactMap { map[.diagnosis($0)] }
    }

    private func name(_ column: Int) -> String { map.header(ofColumn: column) }

    func decode(_ record: CSVRecord) -> Outcome {
        guard record.fieldCount == map.headers.count else {
            return .rejected(.wrongFieldCount(expected: map.headers.count, found: record.fieldCount))
        }
        for column in [claimID, patientID, serviceDate, code]
        where FieldParsers.trimmed(record.field(column)).isEmpty {
            return .rejected(.emptyRequiredField(column: name(column)))
        }
        guard let date = FieldParsers.date(record.field(serviceDate)) else {
            return .rejected(.badDate(column: name(serviceDate), value: text(record.field(serviceDate))))
        }
        var units = 1
        if let column = map[.units], !FieldParsers.isNullToken(FieldParsers.trimmed(record.field(column))) {
            guard let value = FieldParsers.units(record.field(column)) else {
                return .rejected(.badUnits(column: name(column), value: text(record.field(column))))
            }
            units = value
        }
        var lineNumber: Int?
        if let column = map[.claimLineNumber], !isNull(record, column) {
            guard let value = FieldParsers.wholeNumber(record.field(column)) else {
                return .rejected(.badNumber(column: name(column), value: text(record.field(column))))
            }
            lineNumber = value
        }
        var amounts: [Money?] = [nil, nil, nil]
        for (slot, field) in [ClaimField.chargeAmount, .allowedAmount, .paidAmount].enumerated() {
            guard let column = map[field], !isNull(record, column) else { continue }
            guard let value = FieldParsers.money(record.field(column)) else {
                return .rejected(.badAmount(column: name(column), value: text(record.field(column))))
            }
            amounts[slot] = value
        }
        var volumes: [Double?] = [nil, nil]
        for (slot, field) in [ClaimField.reservoirVolume, .dailyVolume].enumerated() {
            guard let column = map[field], !isNull(record, column) else { continue }
            guard let value = FieldParsers.decimal(record.field(column)) else {
                return .rejected(.badNumber(column: name(column), value: text(record.field(column))))
            }
            volumes[slot] = value
        }

        let codeBytes = FieldParsers.trimmed(record.field(code))
        let family = CodeFamily(asciiCode: codeBytes)
        let billType = optionalText(record, .billType).map(Self.normalizedBillType)
        let institutional = billType != nil || isInstitutionalClaimType(record)
        guard family != .other || institutional else { return .outOfScope }

        return .kept(
            ClaimLine(
                source: SourceLocation(file: file, line: record.line),
                claimID: text(record.field(claimID)),
                lineNumber: lineNumber,
                claimType: institutional ? .institutional : .professional,
                patientID: text(record.field(patientID)),
                serviceDate: date,
                code: text(codeBytes).uppercased(),
                modifiers: modifiers(record),
                units: units,
                placeOfService: optionalText(record, .placeOfService).map(Self.normalizedPlaceOfService),
                billType: billType,
                renderingNPI: optionalText(record, .renderingNPI),
                billingNPI: optionalText(record, .billingNPI),
                facilityNPI: optionalText(record, .facilityNPI),
                renderingCredential: optionalText(record, .renderingCredential),
                justification: map[.justification].map { text(record.field($0)) },
                chargeAmount: amounts[0],
                allowedAmount: amounts[1],
                paidAmount: amounts[2],
                payer: optionalText(record, .payer),
                diagnosisCodes: diagnosisColumns.compactMap { column in
                    isNull(record, column) ? nil : text(record.field(column)).uppercased()
                },
                reservoirVolumeML: volumes[0],
                dailyVolumeML: volumes[1]))
    }

    // MARK: Field helpers

    private func isNull(_ record: CSVRecord, _ column: Int) -> Bool {
        FieldParsers.isNullToken(FieldParsers.trimmed(record.field(column)))
    }

    /// The field's text, or nil when the column is absent or holds a null token.
    private func optionalText(_ record: CSVRecord, _ field: ClaimField) -> String? {
        guard let column = map[field], !isNull(record, column) else { return nil }
        return text(record.field(column))
    }

    /// Trimmed text; invalid UTF-8 becomes U+FFFD rather than stopping the run.
    private func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: FieldParsers.trimmed(bytes), as: UTF8.self)
    }

    private func modifiers(_ record: CSVRecord) -> [String] {
        var columns = modifierColumns
        if let combined = map[.modifiers] { columns.append(combined) }
        var result: [String] = []
        for column in columns {
            let value = text(record.field(column)).uppercased()
            for part in value.split(whereSeparator: { ",:;/- ".contains($0) }) where !part.isEmpty {
                result.append(String(part))
            }
        }
        return result
    }

    /// Claim types that name an institutional (UB-04 / 837I) claim.
    private static let institutionalClaimTypes: Set<String> = [
        "i", "inst", "institutional", "facility", "ub04", "ub", "837i", "inpatient", "outpatient", "hospital",
    ]

    private func isInstitutionalClaimType(_ record: CSVRecord) -> Bool {
        guard let column = map[.claimType] else { return false }
        let bytes = FieldParsers.trimmed(record.field(column))
        guard !bytes.isEmpty, bytes.count <= 16 else { return false }
        // Cheap first-letter screen before building a string: every institutional
        // spelling starts with i, f, u, o, h or 8; "professional" and "dme" do not.
        switch FieldParsers.lower(bytes[0]) {
        case UInt8(ascii: "i"), UInt8(ascii: "f"), UInt8(ascii: "u"), UInt8(ascii: "o"), UInt8(ascii: "h"),
            UInt8(ascii: "8"):
            return Self.institutionalClaimTypes.contains(ClaimField.normalize(text(bytes)))
        default:
            return false
        }
    }

    /// "0131" -> "131": the leading zero of a four-digit type of bill carries nothing.
    static func normalizedBillType(_ value: String) -> String {
        if value.count == 4 && value.hasPrefix("0") { return String(value.dropFirst()) }
        return value
    }

    /// "1" -> "01": places of service are two digits.
    static func normalizedPlaceOfService(_ value: String) -> String {
        if value.count == 1, value.first?.isNumber == true { return "0" + value }
        return value
    }
}
