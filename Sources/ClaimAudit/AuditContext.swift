import ClaimModel

/// The lines of one patient, ordered by date, then claim and line, then source.
public struct PatientLines: Sendable {
    public let patientID: String
    public let lines: [ClaimLine]

    public init(patientID: String, lines: [ClaimLine]) {
        self.patientID = patientID
        self.lines = lines.sorted(by: ClaimLine.chronologicalOrder)
    }

    /// The lines split into runs that share a date of service, in date order.
    public var days: [ArraySlice<ClaimLine>] {
        var result: [ArraySlice<ClaimLine>] = []
        var start = 0
        for index in 1...lines.count where index == lines.count || lines[index].serviceDate != lines[start].serviceDate {
            result.append(lines[start..<index])
            start = index
        }
        return result
    }
}

/// What every rule sees: all pump-related lines of the run and of history, grouped
/// by patient, with the reference data and settings in force.
public struct AuditContext: Sendable {
    public let patients: [PatientLines]
    public let configuration: AuditConfiguration

    public init(patients: [PatientLines], configuration: AuditConfiguration) {
        self.patients = patients
        self.configuration = configuration
    }

    public var reference: ReferenceData { configuration.reference }
}

extension ClaimLine {
    /// Date, then claim id and line number, then where it was read.
    public static func chronologicalOrder(_ a: ClaimLine, _ b: ClaimLine) -> Bool {
        if a.serviceDate != b.serviceDate { return a.serviceDate < b.serviceDate }
        if a.claimID != b.claimID { return a.claimID < b.claimID }
        if a.lineNumber != b.lineNumber { return (a.lineNumber ?? 0) < (b.lineNumber ?? 0) }
        return a.source < b.source
    }

    /// How messages name a line: "claim C1 line 2 (62369)".
    public var citationName: String {
        "claim \(claimID)\(lineNumber.map { " line \($0)" } ?? "") (\(code))"
    }
}
