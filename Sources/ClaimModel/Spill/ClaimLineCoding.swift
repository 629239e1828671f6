/// A claim line as spill bytes (`SpillEncoder`), every field kept exactly.
///
/// A line starts with a head (patient, claim id, flags and the length of the rest),
/// so that a partition can be scanned for its patients and its pump services, and
/// the lines of patients without one skipped, without decoding them.
///
/// The input files of a run are named by their index in `files`, so that a
/// partition does not repeat a path on every line; a file outside the table (a
/// history line's source, from an earlier run) is written out in full.
public struct ClaimLineCoding: Sendable {
    public let files: [String]
    private let index: [String: Int]
    /// Codes whose line has its patient audited without a pump service; their lines'
    /// heads say so, so that a partition's scan finds those patients.
    public let codesOpeningAudit: Set<String>
    /// The same, for a lookup that hashes nothing.
    private let openingCodes: PackedCodeSet

    public init(files: [String], codesOpeningAudit: Set<String> = []) {
        self.files = files
        self.codesOpeningAudit = codesOpeningAudit
        openingCodes = PackedCodeSet(codesOpeningAudit)
        var index: [String: Int] = [:]
        for (position, file) in files.enumerated() where index[file] == nil { index[file] = position }
        self.index = index
    }

    /// What a line's head tells without decoding the rest.
    public struct Head {
        public let patientID: String
        public let claimID: String
        let flags: UInt8
        let length: Int

        public var isPumpService: Bool { flags & 4 != 0 }
        /// A line of a code that opens its patient's audit (`codesOpeningAudit`).
        public var opensAudit: Bool { flags & 8 != 0 }
        /// A row as read, not yet decoded (`DeferredRow`).
        public var isDeferred: Bool { flags & Self.deferredFlag != 0 }

        static let deferredFlag: UInt8 = 16
    }

    /// The tag of a line's file: its place in `files` plus one, or 0 for a file
    /// outside the table, whose name is then written out.
    public func fileTag(_ file: String) -> Int {
        index[file].map { $0 + 1 } ?? 0
    }

    /// Encodes `line`; `fileTag`, when given, is `fileTag(line.source.file)`, which a
    /// writer of many lines of one file works out once.
    public func encode(_ line: ClaimLine, fileTag knownTag: Int? = nil, into out: inout some SpillOutput) {
        encode(ClaimLineFields(line), fileTag: knownTag, into: &out)
    }

    /// Encodes a line from its fields: the one place that writes the form `decode` reads.
    public func encode(_ line: ClaimLineFields, fileTag knownTag: Int? = nil, into out: inout some SpillOutput) {
        SpillEncoder.put(line.patientID, into: &out)
        SpillEncoder.put(line.claimID, into: &out)
        out.append(flags(line))
        // The rest's length, as 4 bytes patched in once the rest is written.
        let lengthAt = out.count
        for _ in 0..<4 { out.append(0) }
        let tag = knownTag ?? fileTag(line.file)
        if tag > 0 {
            SpillEncoder.put(UInt64(tag), into: &out)
        } else {
            out.append(0)
            SpillEncoder.put(line.file, into: &out)
        }
        SpillEncoder.put(line.sourceLine, into: &out)
        SpillEncoder.put(line.lineNumber, into: &out)
        out.append(line.adjustment.rawValue)
        SpillEncoder.put(Int(line.serviceDate.dayNumber), into: &out)
        SpillEncoder.put(line.code, into: &out)
        SpillEncoder.put(line.modifiers, into: &out)
        SpillEncoder.put(line.units, into: &out)
        SpillEncoder.put(line.placeOfService, into: &out)
        SpillEncoder.put(line.billType, into: &out)
        SpillEncoder.put(line.renderingNPI, into: &out)
        SpillEncoder.put(line.billingNPI, into: &out)
        SpillEncoder.put(line.facilityNPI, into: &out)
        SpillEncoder.put(line.renderingCredential, into: &out)
        SpillEncoder.put(line.justification, into: &out)
        SpillEncoder.put(line.chargeAmount.map { Int($0.cents) }, into: &out)
        SpillEncoder.put(line.allowedAmount.map { Int($0.cents) }, into: &out)
        SpillEncoder.put(line.paidAmount.map { Int($0.cents) }, into: &out)
        SpillEncoder.put(line.payer, into: &out)
        if line.hasDiagnosisColumns {
            SpillEncoder.put(UInt64(line.diagnosisCodes.count + 1), into: &out)
            for code in line.diagnosisCodes { SpillEncoder.put(code, into: &out) }
        } else {
            out.append(0)
        }
        SpillEncoder.put(line.reservoirVolumeML, into: &out)
        SpillEncoder.put(line.dailyVolumeML, into: &out)
        if let span = line.claimSpan {
            out.append(1)
            SpillEncoder.put(Int(span.lowerBound.dayNumber), into: &out)
            SpillEncoder.put(Int(span.upperBound.dayNumber), into: &out)
        } else {
            out.append(0)
        }
        LineValuesCoding.encode(line.stored, into: &out)
        let length = UInt32(truncatingIfNeeded: out.count - lengthAt - 4)
        for byte in 0..<4 { out.set(UInt8(truncatingIfNeeded: length >> (8 * UInt32(byte))), at: lengthAt + byte) }
    }

    /// Encodes a row deferred by ingest: the head a line has (patient, claim, and a flag
    /// that says the rest is a row as read), then the tag of its decoder, its line
    /// and its bytes. It is never a pump service, nor of a code that opens an audit:
    /// ingest decodes those at once.
    public func encode(_ row: DeferredRow, decoderTag: Int, into out: inout some SpillOutput) {
        SpillEncoder.put(row.patientID, into: &out)
        SpillEncoder.put(row.claimID, into: &out)
        out.append(Head.deferredFlag)
        let lengthAt = out.count
        for _ in 0..<4 { out.append(0) }
        SpillEncoder.put(UInt64(decoderTag), into: &out)
        SpillEncoder.put(row.sourceLine, into: &out)
        SpillEncoder.put(UInt64(row.raw.count), into: &out)
        out.append(contentsOf: row.raw)
        let length = UInt32(truncatingIfNeeded: out.count - lengthAt - 4)
        for byte in 0..<4 { out.set(UInt8(truncatingIfNeeded: length >> (8 * UInt32(byte))), at: lengthAt + byte) }
    }

    /// The rest of a deferred row whose head was just read: its decoder's tag, its line
    /// and where its bytes are.
    public func decodeDeferred(_ head: LazyHead, from decoder: inout SpillDecoder) throws -> (
        decoderTag: Int, sourceLine: Int, raw: Range<Int>
    ) {
        let restEnd = decoder.position + head.length
        let tag = Int(clamping: try decoder.unsigned())
        let line = try decoder.int()
        let raw = try decoder.textRange()
        guard decoder.position == restEnd else { throw SpillError.damaged("claim lines") }
        return (tag, line, raw)
    }

    public func decodeHead(from decoder: inout SpillDecoder) throws -> Head {
        let patientID = try decoder.text()
        let claimID = try decoder.text()
        let flags = try decoder.byte()
        var length = 0
        for byte in 0..<4 { length |= Int(try decoder.byte()) << (8 * byte) }
        return Head(patientID: patientID, claimID: claimID, flags: flags, length: length)
    }

    /// A head whose ids are left as places in the decoder's bytes: a scan that builds
    /// a string only for the lines it keeps.
    public struct LazyHead {
        public let patientID: Range<Int>
        public let claimID: Range<Int>
        let flags: UInt8
        let length: Int

        public var isPumpService: Bool { flags & 4 != 0 }
        public var opensAudit: Bool { flags & 8 != 0 }
        public var isDeferred: Bool { flags & Head.deferredFlag != 0 }

        /// The head with its ids as strings, from the decoder that read it.
        public func head(in decoder: SpillDecoder) -> Head {
            Head(
                patientID: decoder.string(patientID), claimID: decoder.string(claimID), flags: flags, length: length)
        }
    }

    public func decodeLazyHead(from decoder: inout SpillDecoder) throws -> LazyHead {
        let patientID = try decoder.textRange()
        let claimID = try decoder.textRange()
        let flags = try decoder.byte()
        var length = 0
        for byte in 0..<4 { length |= Int(try decoder.byte()) << (8 * byte) }
        return LazyHead(patientID: patientID, claimID: claimID, flags: flags, length: length)
    }

    /// Moves past the rest of the line whose head was just read.
    public func skip(_ head: Head, in decoder: inout SpillDecoder) throws {
        try decoder.skip(head.length)
    }

    public func skip(_ head: LazyHead, in decoder: inout SpillDecoder) throws {
        try decoder.skip(head.length)
    }

    public func decode(from decoder: inout SpillDecoder) throws -> ClaimLine {
        try decode(try decodeHead(from: &decoder), from: &decoder)
    }

    /// The rest of the line whose head was just read.
    public func decode(_ head: Head, from decoder: inout SpillDecoder) throws -> ClaimLine {
        let restEnd = decoder.position + head.length
        let fileTag = Int(clamping: try decoder.unsigned())
        let file: String
        if fileTag == 0 {
            file = try decoder.text()
        } else {
            guard fileTag <= files.count else { throw SpillError.damaged("claim lines") }
            file = files[fileTag - 1]
        }
        let sourceLine = try decoder.int()
        let lineNumber = try decoder.optionalInt()
        guard let adjustment = ClaimAdjustment(rawValue: try decoder.byte()) else {
            throw SpillError.damaged("claim lines")
        }
        let serviceDate = ServiceDate(dayNumber: Int32(truncatingIfNeeded: try decoder.int()))
        let code = try decoder.text()
        let modifiers = try decoder.texts()
        let units = try decoder.int()
        let placeOfService = try decoder.optionalText()
        let billType = try decoder.optionalText()
        let renderingNPI = try decoder.optionalText()
        let billingNPI = try decoder.optionalText()
        let facilityNPI = try decoder.optionalText()
        let credential = try decoder.optionalText()
        let justification = try decoder.optionalText()
        let charge = try decoder.optionalInt().map { Money(cents: Int64($0)) }
        let allowed = try decoder.optionalInt().map { Money(cents: Int64($0)) }
        let paid = try decoder.optionalInt().map { Money(cents: Int64($0)) }
        let payer = try decoder.optionalText()
        let diagnoses = try decoder.optionalTexts()
        let reservoir = try decoder.optionalDouble()
        let daily = try decoder.optionalDouble()
        var span: ClosedRange<ServiceDate>?
        if try decoder.byte() == 1 {
            let start = ServiceDate(dayNumber: Int32(truncatingIfNeeded: try decoder.int()))
            let end = ServiceDate(dayNumber: Int32(truncatingIfNeeded: try decoder.int()))
            guard start <= end else { throw SpillError.damaged("claim lines") }
            span = start...end
        }
        let stored = try LineValuesCoding.decode(from: &decoder)
        guard decoder.position == restEnd else { throw SpillError.damaged("claim lines") }
        var line = ClaimLine(
            source: SourceLocation(file: file, line: sourceLine), claimID: head.claimID, lineNumber: lineNumber,
            claimType: head.flags & 1 == 0 ? .professional : .institutional, patientID: head.patientID,
            serviceDate: serviceDate, code: code, modifiers: modifiers, units: units, placeOfService: placeOfService,
            billType: billType, renderingNPI: renderingNPI, billingNPI: billingNPI, facilityNPI: facilityNPI,
            renderingCredential: credential, justification: justification, chargeAmount: charge,
            allowedAmount: allowed, paidAmount: paid, payer: payer, diagnosisCodes: diagnoses,
            reservoirVolumeML: reservoir, dailyVolumeML: daily, claimSpan: span, adjustment: adjustment)
        line.fromHistory = head.flags & 2 != 0
        if !stored.isEmpty { line.storedValues = stored }
        return line
    }

    /// Whether a line of `code` (upper-case) opens its patient's audit.
    public func opensAudit(_ code: SpillText) -> Bool {
        openingCodes.contains(code)
    }

    private func flags(_ line: ClaimLineFields) -> UInt8 {
        let opens = !line.family.isPumpService && opensAudit(line.code)
        return (line.claimType == .institutional ? 1 : 0) | (line.fromHistory ? 2 : 0)
            | (line.family.isPumpService ? 4 : 0) | (opens ? 8 : 0)
    }
}
