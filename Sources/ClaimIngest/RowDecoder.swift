import ClaimModel

/// Turns one record of a file into a claim line, an out-of-scope row, or a rejection.
///
/// Every row's structure is checked the same way, whatever its code, so a row of the
/// wrong shape is rejected even when no rule would have looked at it. Rows that some
/// rule needs (pump services, E/M, pump drugs and institutional claims) become
/// `ClaimLineFields`: mostly the bytes of the record, validated, with a string built
/// only for text that is not ASCII or needs normalising, so ingest builds no
/// `ClaimLine`. A plain context row (`Screened.context`) is not decoded as it is read:
/// it waits in its patient's partition, and `decodeDeferred` decodes it, as `route`
/// would have, only if its patient is audited.
///
/// A class, so that the closures that route every record of a file share one decoder
/// and a call costs no copy of its map and sets.
final class RowDecoder: Sendable {
    enum Outcome {
        /// The row is a line, written into the fields passed in.
        case kept
        case outOfScope
        case rejected(RejectionReason)
        /// A header row again, as in exports concatenated into one file, with the map
        /// its columns give.
        case header(ColumnMap)
    }

    let file: String
    let map: ColumnMap
    /// Codes kept although no `CodeFamily` names them: those the reference data edits
    /// together with the pump codes (`ReferenceData.codesBesidePumpServices`).
    let additionalCodes: Set<String>
    /// Whether an NPI that fails the check digit rejects the row.
    let checksNPIs: Bool
    /// The user's `--columns` mapping, to read a repeated header row as the first was read.
    let columnMapping: ColumnMapping
    // Column indices, looked up once per file: the dictionary behind `ColumnMap` is
    // too slow to consult for every field of every row.
    private let claimID: Int
    private let patientID: Int
    private let serviceDate: Int?
    private let claimStart: Int?
    private let claimEnd: Int?
    private let code: Int?
    private let facilityType: Int?
    private let serviceClassification: Int?
    private let claimFrequency: Int?
    private let adjustmentType: Int?
    private let units: Int?
    private let lineNumber: Int?
    private let charge: Int?
    private let allowed: Int?
    private let paid: Int?
    private let reservoir: Int?
    private let daily: Int?
    private let billType: Int?
    private let claimType: Int?
    private let placeOfService: Int?
    private let renderingNPI: Int?
    private let billingNPI: Int?
    private let facilityNPI: Int?
    private let credential: Int?
    private let justification: Int?
    private let payer: Int?
    private let modifierColumns: [Int]
    private let diagnosisColumns: [Int]
    /// The columns of the line's value store, read by each field's format.
    private let storedColumns: StoredFieldColumns
    /// `additionalCodes`, for the check of a row's code, which builds no string and hashes nothing.
    private let additionalCodeKeys: PackedCodeSet
    /// Whether the date column's own name is made only of digits and date separators,
    /// as no real name is: then a repeated header cannot be told from a date by its
    /// characters, and `mightBeHeader` parses every such cell.
    private let dateColumnNameLooksLikeADate: Bool
    /// For a wide file (several service lines a row): one decoder per line, in line
    /// order, each reading its line's columns; empty for one line a row.
    private let lineDecoders: [RowDecoder]
    /// In a line's decoder: the line's number, the suffix of its columns.
    private let wideLineNumber: Int?
    /// Whether the file's layout holds facility claims whatever its rows say (DE-SynPUF
    /// outpatient and inpatient).
    private let institutionalLayout: Bool

    convenience init(
        file: String, map: ColumnMap, additionalCodes: Set<String> = [], checksNPIs: Bool = true,
        columnMapping: ColumnMapping = .none
    ) {
        self.init(
            file: file, map: map, additionalCodes: additionalCodes, checksNPIs: checksNPIs,
            columnMapping: columnMapping, wideLineNumber: nil)
    }

    private init(
        file: String, map: ColumnMap, additionalCodes: Set<String>, checksNPIs: Bool,
        columnMapping: ColumnMapping, wideLineNumber: Int?
    ) {
        self.file = file
        self.map = map
        self.additionalCodes = additionalCodes
        self.checksNPIs = checksNPIs
        self.columnMapping = columnMapping
        // ColumnMap guarantees the claim and the patient, a line or claim date, and a
        // code unless the file is a facility claim header with a type of bill.
        claimID = map[.claimID]!
        patientID = map[.patientID]!
        serviceDate = map[.serviceDate]
        claimStart = map[.claimStartDate]
        claimEnd = map[.claimEndDate]
        code = map[.code]
        facilityType = map[.facilityType]
        serviceClassification = map[.serviceClassification]
        claimFrequency = map[.claimFrequency]
        adjustmentType = map[.adjustmentType]
        units = map[.units]
        lineNumber = map[.claimLineNumber]
        charge = map[.chargeAmount]
        allowed = map[.allowedAmount]
        paid = map[.paidAmount]
        reservoir = map[.reservoirVolume]
        daily = map[.dailyVolume]
        billType = map[.billType]
        claimType = map[.claimType]
        placeOfService = map[.placeOfService]
        renderingNPI = map[.renderingNPI]
        billingNPI = map[.billingNPI]
        facilityNPI = map[.facilityNPI]
        credential = map[.renderingCredential]
        justification = map[.justification]
        payer = map[.payer]
        modifierColumns = (1...5).compactMap { map[.modifier($0)] } + [map[.modifiers]].compactMap { $0 }
        diagnosisColumns = [map.lineDiagnosis].compactMap { $0 } + (1...25).compactMap { map[.diagnosis($0)] }
        storedColumns = StoredFieldColumns(map: map)
        self.wideLineNumber = wideLineNumber
        institutionalLayout = map.wide?.layout.isInstitutional ?? false
        if let wide = map.wide, wideLineNumber == nil {
            lineDecoders = wide.lines.map { line in
                RowDecoder(
                    file: file, map: map.forLine(line), additionalCodes: additionalCodes, checksNPIs: checksNPIs,
                    columnMapping: columnMapping, wideLineNumber: line.number)
            }
        } else {
            lineDecoders = []
        }
        additionalCodeKeys = PackedCodeSet(additionalCodes)
        dateColumnNameLooksLikeADate =
            (serviceDate ?? claimStart).map { column in
                map.header(ofColumn: column).utf8.allSatisfy(Self.isDateCharacter)
            } ?? false
    }

    private func name(_ column: Int) -> String { map.header(ofColumn: column) }

    /// A repeated header, or the rejection of a record of the wrong shape; nil for a
    /// record whose lines can be decoded.
    private func structure(_ record: CSVRecord) -> Outcome? {
        if mightBeHeader(record), let map = headerMap(record) { return .header(map) }
        // CMS RIF extracts end each record, but not the header, with a delimiter: one
        // more field, empty, is that trailing delimiter.
        let trailingDelimiter =
            record.fieldCount == map.headers.count + 1
            && FieldParsers.trimmed(record.field(map.headers.count)).isEmpty
        guard record.fieldCount == map.headers.count || trailingDelimiter else {
            return .rejected(.wrongFieldCount(expected: map.headers.count, found: record.fieldCount))
        }
        return nil
    }

    /// The service line of a well-formed record that this decoder reads: the record's
    /// only line, or in a wide file the line of its number.
    private func decodeLine(_ record: CSVRecord, into fields: inout ClaimLineFields) -> Outcome {
        let billTypeText = billType(record)
        let institutional = institutionalLayout || billTypeText != nil || isInstitutionalClaimType(record)
        let (codeBytes, codeModifiers) = code.map { FieldParsers.code(record.field($0)) } ?? (nil, nil)
        let family = codeBytes.map { CodeFamily(asciiCode: $0) } ?? .other
        // A row no rule reads is counted after the structural checks and decoded no
        // further, whether or not libcsv parsed it (`screen` for plain lines).
        if let codeBytes, !codeBytes.isEmpty, family == .other, !institutional, !additionalCodeKeys.contains(codeBytes)
        {
            return .outOfScope
        }
        if FieldParsers.trimmed(record.field(claimID)).isEmpty {
            return .rejected(.emptyRequiredField(column: name(claimID)))
        }
        if FieldParsers.trimmed(record.field(patientID)).isEmpty {
            return .rejected(.emptyRequiredField(column: name(patientID)))
        }
        let date: ServiceDate
        let span: ClosedRange<ServiceDate>?
        switch dates(record, institutional: institutional) {
        case .success(let dated):
            (date, span) = dated
        case .failure(let problem):
            return .rejected(problem.reason)
        }
        // A facility line without a code is a revenue-code line: context for the rules
        // (the facility claim exists that day), never a code any rule reads.
        if codeBytes?.isEmpty ?? true, !institutional {
            return .rejected(.emptyRequiredField(column: code.map(name) ?? ClaimField.code.canonicalName))
        }
        var unitCount = 1
        if let column = units, !isNull(record, column) {
            guard let value = FieldParsers.units(record.field(column)) else {
                return .rejected(.badUnits(column: name(column), value: string(record.field(column))))
            }
            unitCount = value
        }
        var number = wideLineNumber
        if number == nil, let column = lineNumber, !isNull(record, column) {
            guard let value = FieldParsers.wholeNumber(record.field(column)) else {
                return .rejected(.badNumber(column: name(column), value: string(record.field(column))))
            }
            number = value
        }
        let chargeAmount: Money?, allowedAmount: Money?, paidAmount: Money?
        let reservoirVolume: Double?, dailyVolume: Double?
        do {
            chargeAmount = try money(record, charge)
            allowedAmount = try money(record, allowed)
            paidAmount = try money(record, paid)
            reservoirVolume = try volume(record, reservoir)
            dailyVolume = try volume(record, daily)
        } catch let problem as Problem {
            return .rejected(problem.reason)
        } catch {
            preconditionFailure("decoding throws only Problem")
        }

        // A wrong NPI merges distinct providers or splits one, and so makes same-provider
        // edits fire or fall silent: a line a rule reads must carry real NPIs.
        if checksNPIs, let problem = npiProblem(record) { return .rejected(problem) }
        if let problem = storedColumns.read(record, into: &fields.stored, map: map) { return .rejected(problem) }

        fields.file = file
        fields.sourceLine = record.line
        fields.claimID = text(record.field(claimID))
        fields.lineNumber = number
        fields.claimType = institutional ? .institutional : .professional
        fields.patientID = text(record.field(patientID))
        fields.serviceDate = date
        fields.code = codeBytes.map { text($0, upperCased: true) } ?? .string("")
        fields.family = family
        modifiers(record, onCode: codeModifiers, into: &fields.modifiers)
        fields.units = unitCount
        fields.placeOfService = placeOfService(record)
        fields.billType = billTypeText.map(SpillText.string)
        fields.renderingNPI = optionalText(record, renderingNPI)
        fields.billingNPI = optionalText(record, billingNPI)
        fields.facilityNPI = optionalText(record, facilityNPI)
        fields.renderingCredential = optionalText(record, credential)
        fields.justification = justification.map { text(record.field($0)) }
        fields.chargeAmount = chargeAmount
        fields.allowedAmount = allowedAmount
        fields.paidAmount = paidAmount
        fields.payer = optionalText(record, payer)
        diagnosisCodes(record, into: &fields.diagnosisCodes)
        fields.hasDiagnosisColumns = !diagnosisColumns.isEmpty
        fields.reservoirVolumeML = reservoirVolume
        fields.dailyVolumeML = dailyVolume
        fields.claimSpan = span
        fields.adjustment = adjustment(record, billType: billTypeText)
        return .kept
    }

    /// The first NPI column whose value is not a valid NPI.
    private func npiProblem(_ record: CSVRecord) -> RejectionReason? {
        for column in [renderingNPI, billingNPI, facilityNPI] {
            guard let column, !isNull(record, column) else { continue }
            let value = FieldParsers.trimmed(record.field(column))
            if let problem = NPICheck.problem(utf8: value) {
                return .badNPI(column: name(column), value: string(value), problem: problem)
            }
        }
        return nil
    }

    /// A value that makes the row a rejection.
    private struct Problem: Error {
        let reason: RejectionReason
    }

    private func money(_ record: CSVRecord, _ column: Int?) throws -> Money? {
        guard let column, !isNull(record, column) else { return nil }
        guard let value = FieldParsers.money(record.field(column)) else {
            throw Problem(reason: .badAmount(column: name(column), value: string(record.field(column))))
        }
        return value
    }

    private func volume(_ record: CSVRecord, _ column: Int?) throws -> Double? {
        guard let column, !isNull(record, column) else { return nil }
        guard let value = FieldParsers.decimal(record.field(column)) else {
            throw Problem(reason: .badNumber(column: name(column), value: string(record.field(column))))
        }
        return value
    }

    // MARK: Dates

    /// The line's date and its claim's span. A line without a date of its own takes its
    /// claim's start date when it is a facility line (UB-04 lines carry the claim's
    /// dates), when the file has no line dates at all, or when the claim is one day long.
    private func dates(_ record: some FieldRow, institutional: Bool) -> Result<
        (ServiceDate, ClosedRange<ServiceDate>?), Problem
    > {
        let line: ServiceDate?, start: ServiceDate?, end: ServiceDate?
        do {
            line = try date(record, serviceDate)
            start = try date(record, claimStart)
            end = try date(record, claimEnd)
        } catch let problem as Problem {
            return .failure(problem)
        } catch {
            preconditionFailure("decoding throws only Problem")
        }
        let span = start.flatMap { start in end.map { start...max(start, $0) } }
        if let line { return .success((line, span)) }
        if let start, institutional || serviceDate == nil || end == nil || end == start {
            return .success((start, span))
        }
        let column = serviceDate ?? claimStart ?? 0
        return .failure(Problem(reason: .emptyRequiredField(column: name(column))))
    }

    /// A date column's value; nil when absent, empty, or CCLF's `1000-01-01` "no date".
    private func date(_ record: some FieldRow, _ column: Int?) throws -> ServiceDate? {
        guard let column, !isNull(record, column) else { return nil }
        let bytes = FieldParsers.trimmed(record.field(column))
        if bytes.elementsEqual("1000-01-01".utf8) { return nil }
        guard let value = FieldParsers.date(bytes) else {
            throw Problem(reason: .badDate(column: name(column), value: string(bytes)))
        }
        return value
    }

    // MARK: Type of bill and adjustments

    /// The type of bill, from its own column or from CMS's three parts (facility type,
    /// service classification, frequency: `1`, `3`, `1` -> `131`).
    private func billType(_ record: some FieldRow) -> String? {
        if let whole = optionalString(record, billType) { return Self.normalizedBillType(whole) }
        guard let facility = optionalString(record, facilityType),
            let classification = optionalString(record, serviceClassification)
        else { return nil }
        return facility + classification + (optionalString(record, claimFrequency) ?? "")
    }

    /// Void or replacement, from the claim frequency column, else the type of bill's
    /// third digit, and from CCLF's adjustment type.
    private func adjustment(_ record: CSVRecord, billType: String?) -> ClaimAdjustment {
        switch optionalString(record, adjustmentType) {
        case "1": return .void
        case "2": return .replacement
        default: break
        }
        let frequency =
            optionalString(record, claimFrequency) ?? billType.flatMap { $0.count == 3 ? String($0.suffix(1)) : nil }
        switch frequency {
        case "7": return .replacement
        case "8": return .void
        default: return .original
        }
    }

    // MARK: Routing

    /// Decodes one event from the reader and hands its result on: a kept line to
    /// `accept`, a rejection (with its file, line and record) to `reject`, and counts
    /// it. The one routine behind both the one-core and the several-core reads.
    /// `fields` is the reader's own, reused from row to row.
    func route(
        _ event: CSVEvent, counts: inout RowCounts, fields: inout ClaimLineFields,
        accept: (ClaimLineFields) throws -> Void, reject: (Rejection) throws -> Void
    ) rethrows -> RowDecoder? {
        if case .record(let record) = event, RowShape.isBlank(record) {
            counts.blank += 1
            return nil
        }
        counts.records += 1
        switch event {
        case .record(let record):
            switch structure(record) {
            case nil where lineDecoders.isEmpty:
                try routeLine(record, counts: &counts, fields: &fields, accept: accept, reject: reject)
            case nil:
                try routeLines(record, counts: &counts, fields: &fields, accept: accept, reject: reject)
            case .rejected(let reason)?:
                counts.read += 1
                try rejectRecord(record, reason, counts: &counts, to: reject)
            case .kept?, .outOfScope?:
                preconditionFailure("the structure check keeps no line")
            case .header(let newMap)?:
                // The row itself is no claim line: it is rejected with the reason, so the
                // counts still reconcile. When its columns differ, the rows after it are
                // read with them, by the decoder returned.
                counts.read += 1
                let changed = newMap.columns != map.columns || newMap.headers.count != map.headers.count
                counts.rejected += 1
                try reject(
                    Rejection(
                        source: SourceLocation(file: file, line: record.line),
                        reason: .repeatedHeader(columnsChanged: changed), raw: ClaimIngestor.text(record.raw)))
                guard changed else { return nil }
                return RowDecoder(
                    file: file, map: newMap, additionalCodes: additionalCodes, checksNPIs: checksNPIs,
                    columnMapping: columnMapping)
            }
        case .malformed(let malformed):
            let rejection = self.rejection(malformed)
            counts.read += 1
            counts.rejected += 1
            if rejection.reason == .footerRow { counts.footers += 1 }
            try reject(rejection)
        }
        return nil
    }

    /// The service lines of a well-formed wide record: one per non-empty code column,
    /// each kept, out of scope or rejected on its own (a bad amount in line 3's column
    /// rejects line 3, naming that column; the other lines stay). A record with no code
    /// at all is read as its first line, as a long row without a code is: a facility
    /// claim's context, or a rejection naming the empty code column.
    private func routeLines(
        _ record: CSVRecord, counts: inout RowCounts, fields: inout ClaimLineFields,
        accept: (ClaimLineFields) throws -> Void, reject: (Rejection) throws -> Void
    ) rethrows {
        var routed = false
        for line in lineDecoders {
            guard let column = line.code, !FieldParsers.trimmed(record.field(column)).isEmpty else { continue }
            routed = true
            try line.routeLine(record, counts: &counts, fields: &fields, accept: accept, reject: reject)
        }
        if !routed {
            try lineDecoders[0].routeLine(record, counts: &counts, fields: &fields, accept: accept, reject: reject)
        }
    }

    /// Decodes and counts this decoder's line of a well-formed record.
    private func routeLine(
        _ record: CSVRecord, counts: inout RowCounts, fields: inout ClaimLineFields,
        accept: (ClaimLineFields) throws -> Void, reject: (Rejection) throws -> Void
    ) rethrows {
        counts.read += 1
        switch decodeLine(record, into: &fields) {
        case .kept:
            counts.inScope += 1
            try accept(fields)
        case .outOfScope:
            counts.outOfScope += 1
        case .rejected(let reason):
            try rejectRecord(record, reason, counts: &counts, to: reject)
        case .header:
            preconditionFailure("a line is decoded only after its record's structure is checked")
        }
    }

    /// Rejects a well-formed record for `reason`, or as a footer row when it opens the way
    /// footers do (`RowShape`: only a record rejected anyway can be one), and counts it.
    private func rejectRecord(
        _ record: CSVRecord, _ reason: RejectionReason, counts: inout RowCounts,
        to reject: (Rejection) throws -> Void
    ) rethrows {
        let rejection = self.rejection(record, reason)
        counts.rejected += 1
        if rejection.reason == .footerRow { counts.footers += 1 }
        try reject(rejection)
    }

    /// The rejection of a well-formed record for `reason`, or as a footer row.
    private func rejection(_ record: CSVRecord, _ reason: RejectionReason) -> Rejection {
        Rejection(
            source: SourceLocation(file: file, line: record.line),
            reason: RowShape.isFooter(record) ? .footerRow : reason, raw: ClaimIngestor.text(record.raw))
    }

    /// The rejection of a record libcsv could not read, or of a footer row.
    private func rejection(_ malformed: MalformedRecord) -> Rejection {
        Rejection(
            source: SourceLocation(file: file, line: malformed.line),
            reason: RowShape.isFooter(raw: malformed.raw)
                ? .footerRow : ClaimIngestor.reason(malformed.problem, map: map),
            raw: ClaimIngestor.text(malformed.raw))
    }

    // MARK: Deferred rows

    /// Decodes the record of a row the screen deferred (`Screened.context`), as `route`
    /// would have: nil with its line in `fields`, or its rejection.
    func decodeDeferred(_ event: CSVEvent, into fields: inout ClaimLineFields) -> Rejection? {
        switch event {
        case .malformed(let malformed):
            return rejection(malformed)
        case .record(let record):
            switch structure(record) ?? decodeLine(record, into: &fields) {
            case .kept:
                return nil
            case .rejected(let reason):
                return rejection(record, reason)
            case .outOfScope, .header:
                preconditionFailure("the screen defers only rows of the file's shape whose code a rule reads")
            }
        }
    }

    // MARK: Scope before parsing

    /// What the screen makes of a plain line (no quote, split at the delimiter).
    enum Screened {
        /// In doubt, or needed at once: libcsv parses it and it is decoded.
        case parse
        /// Service lines surely of codes no rule reads: counted, not parsed.
        case outOfScope(lines: Int)
        /// An E/M, drug or facility line (a code the rules read only beside a pump
        /// service), well formed so far, with the values a partition needs: it may be
        /// deferred, and decoded only if its patient is audited.
        case context(patientID: SpillText, claimID: SpillText, serviceDate: ServiceDate, code: SpillText)
    }

    /// How many service lines a plain line holds that are surely rows no rule reads, or
    /// whether it is context that can wait (`Screened`). Surely out of scope means the
    /// right number of fields, a code that is neither a pump-related code nor one the
    /// edits pair with them, and no sign of a facility claim. Such a row is counted as
    /// out of scope without being parsed or decoded: its other fields are never read,
    /// so a bad date in it is not a rejection. Context, with `deferringContext`, is a
    /// one-line row of the right shape whose code is in scope but no pump service
    /// (or a facility line without a code), with a patient, a claim and a date. A
    /// wide row is in scope when any of its codes is, and never deferred. Anything in
    /// doubt is parsed.
    func screen(_ row: some FieldRow, deferringContext: Bool) -> Screened {
        guard row.fieldCount == map.headers.count || row.fieldCount == map.headers.count + 1,
            let code, !mightBeHeader(row)
        else { return .parse }
        if row.fieldCount == map.headers.count + 1 && !FieldParsers.trimmed(row.field(map.headers.count)).isEmpty {
            return .parse
        }
        guard lineDecoders.isEmpty else { return screenWide(row) }
        let codeBytes = FieldParsers.code(row.field(code)).code
        let family = CodeFamily(asciiCode: codeBytes)
        let outOfScopeCode = !codeBytes.isEmpty && family == .other && !additionalCodeKeys.contains(codeBytes)
        guard outOfScopeCode || deferringContext, !family.isPumpService else { return .parse }
        let billTypeText = billType(row)
        let institutional = billTypeText != nil || isInstitutionalClaimType(row)
        if outOfScopeCode { return institutional ? .parse : .outOfScope(lines: 1) }
        // A professional line without a code is a rejection: decoded at once.
        guard !codeBytes.isEmpty || institutional else { return .parse }
        let patient = FieldParsers.trimmed(row.field(patientID))
        let claim = FieldParsers.trimmed(row.field(claimID))
        guard !patient.isEmpty, !claim.isEmpty, case .success(let (date, _)) = dates(row, institutional: institutional)
        else { return .parse }
        return .context(
            patientID: text(patient), claimID: text(claim), serviceDate: date, code: text(codeBytes, upperCased: true))
    }

    /// How many service lines of a wide plain row are surely out of scope: all its codes,
    /// or none.
    private func screenWide(_ row: some FieldRow) -> Screened {
        guard !institutionalLayout, billType(row) == nil, !isInstitutionalClaimType(row) else { return .parse }
        var lines = 0
        for line in lineDecoders {
            guard let column = line.code else { continue }
            switch isOutOfScopeCode(row, column) {
            case true?: lines += 1
            case false?: return .parse
            case nil: continue
            }
        }
        return lines > 0 ? .outOfScope(lines: lines) : .parse
    }

    /// Whether the code in `column` is one no rule reads; nil when the cell is empty.
    @inline(__always)
    private func isOutOfScopeCode(_ row: some FieldRow, _ column: Int) -> Bool? {
        let (codeBytes, _) = FieldParsers.code(row.field(column))
        guard !codeBytes.isEmpty else { return nil }
        return CodeFamily(asciiCode: codeBytes) == .other && !additionalCodeKeys.contains(codeBytes)
    }

    // MARK: Repeated headers

    /// A cheap screen, so that ordinary rows never pay for the header check: a header
    /// row has another field count, or a date column whose text is not a date (the
    /// column's name), where a data row has a date or nothing.
    private func mightBeHeader(_ record: some FieldRow) -> Bool {
        // A row with one more field than the header may be a RIF row's trailing delimiter.
        guard record.fieldCount == map.headers.count || record.fieldCount == map.headers.count + 1,
            let column = serviceDate ?? claimStart
        else { return true }
        let value = FieldParsers.trimmed(record.field(column))
        if value.isEmpty { return false }
        // A cell of digits and separators is a date, or a broken one, and never a column's
        // name: no need to parse it. (A data row with a broken date and a code no rule
        // reads is out of scope whether it is screened here or read by libcsv.)
        if !dateColumnNameLooksLikeADate && value.allSatisfy(Self.isDateCharacter) { return false }
        return FieldParsers.date(value) == nil
    }

    /// Digits and the separators of the dates `FieldParsers.date` reads.
    @inline(__always)
    private static func isDateCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "."): return true
        default: return false
        }
    }

    /// The map of a row that names every required column, as a header row does.
    private func headerMap(_ record: CSVRecord) -> ColumnMap? {
        let headers = (0..<record.fieldCount).map {
            String(decoding: FieldParsers.trimmed(record.field($0)), as: UTF8.self)
        }
        return try? ColumnMap(headers: headers, file: file, custom: columnMapping, suggestingNearest: false)
    }

    // MARK: Field helpers

    private func isNull(_ record: some FieldRow, _ column: Int) -> Bool {
        FieldParsers.isNullToken(FieldParsers.trimmed(record.field(column)))
    }

    /// The field's text, or nil when the column is absent or holds a null token.
    private func optionalText(_ record: some FieldRow, _ column: Int?) -> SpillText? {
        guard let column, !isNull(record, column) else { return nil }
        return text(record.field(column))
    }

    /// As `optionalText`, as a string: for the few values that are normalised.
    private func optionalString(_ record: some FieldRow, _ column: Int?) -> String? {
        guard let column, !isNull(record, column) else { return nil }
        return string(record.field(column))
    }

    /// Trimmed text (`FieldParsers.text`).
    @inline(__always)
    private func text(_ bytes: UnsafeBufferPointer<UInt8>, upperCased: Bool = false) -> SpillText {
        FieldParsers.text(bytes, upperCased: upperCased)
    }

    /// Trimmed text as a string.
    private func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: FieldParsers.trimmed(bytes), as: UTF8.self)
    }

    /// The place of service, two digits for a one-digit code ("1" -> "01").
    private func placeOfService(_ record: CSVRecord) -> SpillText? {
        guard let value = optionalText(record, placeOfService) else { return nil }
        if case .bytes(let bytes, _) = value, bytes.count > 1 { return value }
        return .string(Self.normalizedPlaceOfService(value.string))
    }

    /// Those written onto the code (`62369-59-XU`), then those of the modifier columns,
    /// upper-case, in one list.
    private func modifiers(_ record: CSVRecord, onCode: UnsafeBufferPointer<UInt8>?, into result: inout [SpillText]) {
        result.removeAll(keepingCapacity: true)
        if let onCode, !onCode.isEmpty {
            // `FieldParsers.code` gives modifiers on a code only as ASCII pairs.
            split(onCode, at: { $0 == UInt8(ascii: "-") }, into: &result)
        }
        for column in modifierColumns {
            let value = FieldParsers.trimmed(record.field(column))
            if FieldParsers.isASCII(value) {
                split(value, at: Self.isModifierSeparator, into: &result)
                continue
            }
            for part in string(value).uppercased().split(whereSeparator: { ",:;/- ".contains($0) }) where !part.isEmpty
            {
                result.append(.string(String(part)))
            }
        }
    }

    private static func isModifierSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "/"), UInt8(ascii: "-"),
            UInt8(ascii: " "):
            return true
        default:
            return false
        }
    }

    /// The non-empty parts of ASCII `bytes` between separators, upper-cased as written.
    @inline(__always)
    private func split(
        _ bytes: UnsafeBufferPointer<UInt8>, at isSeparator: (UInt8) -> Bool, into result: inout [SpillText]
    ) {
        var start = 0
        for index in 0...bytes.count where index == bytes.count || isSeparator(bytes[index]) {
            if index > start {
                result.append(.bytes(UnsafeBufferPointer(rebasing: bytes[start..<index]), upperCased: true))
            }
            start = index + 1
        }
    }

    /// The diagnosis columns' codes, upper-case; a column that lists several with commas
    /// gives each.
    private func diagnosisCodes(_ record: CSVRecord, into result: inout [SpillText]) {
        result.removeAll(keepingCapacity: true)
        for column in diagnosisColumns where !isNull(record, column) {
            let value = FieldParsers.trimmed(record.field(column))
            if FieldParsers.isASCII(value) {
                // "G89.4, G35": each part between commas, without its spaces.
                var start = 0
                for index in 0...value.count where index == value.count || value[index] == UInt8(ascii: ",") {
                    let part = FieldParsers.trimmed(UnsafeBufferPointer(rebasing: value[start..<index]))
                    if !part.isEmpty { result.append(.bytes(part, upperCased: true)) }
                    start = index + 1
                }
                continue
            }
            for part in string(value).uppercased().split(separator: ",") {
                var code = part.drop { $0 == " " || $0 == "\t" }
                while code.last == " " || code.last == "\t" { code.removeLast() }
                if !code.isEmpty { result.append(.string(String(code))) }
            }
        }
    }

    /// Claim types that name an institutional (UB-04 / 837I) claim.
    /// The numbers are the CMS claim type codes of RIF (`NCH_CLM_TYPE_CD`) and CCLF
    /// (`CLM_TYPE_CD`): 10 HHA, 20 and 30 SNF, 40 outpatient, 50 hospice, 60 and 61
    /// inpatient. 71/72 (carrier) and 81/82 (DMERC) are professional.
    private static let institutionalClaimTypes: Set<String> = [
        "i", "inst", "institutional", "facility", "ub04", "ub", "837i", "inpatient", "outpatient", "hospital",
        "10", "20", "30", "40", "50", "60", "61",
    ]

    private func isInstitutionalClaimType(_ record: some FieldRow) -> Bool {
        guard let column = claimType else { return false }
        let bytes = FieldParsers.trimmed(record.field(column))
        guard !bytes.isEmpty, bytes.count <= 16 else { return false }
        // Cheap first-letter screen before building a string: every institutional
        // spelling starts with i, f, u, o, h, 8 or a digit 1-6; "professional" and "dme" do not.
        switch FieldParsers.lower(bytes[0]) {
        case UInt8(ascii: "i"), UInt8(ascii: "f"), UInt8(ascii: "u"), UInt8(ascii: "o"), UInt8(ascii: "h"),
            UInt8(ascii: "8"), UInt8(ascii: "1")...UInt8(ascii: "6"):
            return Self.institutionalClaimTypes.contains(ClaimField.normalize(string(bytes)))
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

/// Rows counted as they are routed.
struct RowCounts: Sendable {
    /// Records (rows) of the file; for a wide file each may hold several service lines.
    var records = 0
    /// Service lines read, with the rows that could not be read at all: one per row,
    /// but for a wide file's rows, one per code.
    var read = 0
    var inScope = 0
    var outOfScope = 0
    var rejected = 0
    /// Rows made only of delimiters: skipped, and not counted as read.
    var blank = 0
    /// Rejected rows that are footers.
    var footers = 0

    /// Rows the reader set aside as out of scope without parsing them, and the service
    /// lines they hold (as many as the rows, but in a wide file).
    mutating func addScreenedOut(_ rows: Int, lines: Int? = nil) {
        records += rows
        read += lines ?? rows
        outOfScope += lines ?? rows
    }

    /// Rows handed to the partitions undecoded (`PlainLineScreen`): in scope until a
    /// late decode rejects one.
    mutating func addDeferred(_ rows: Int) {
        records += rows
        read += rows
        inScope += rows
    }
}

extension InputFileSummary {
    mutating func add(_ counts: RowCounts) {
        rowsRead += counts.read
        recordsRead += counts.records
        rowsInScope += counts.inScope
        rowsOutOfScope += counts.outOfScope
        rowsRejected += counts.rejected
        rowsBlank += counts.blank
        footerRows += counts.footers
    }
}
