import ClaimModel

/// The lines of one patient, ordered by date, then claim and line, then source.
public struct PatientLines: Sendable {
    public let lines: ArraySlice<ClaimLine>

    /// `lines` must be one patient's, in `ClaimLine.chronologicalOrder`.
    init(lines: ArraySlice<ClaimLine>) {
        self.lines = lines
        days = Self.days(of: lines)
    }

    public var patientID: String { lines.first?.patientID ?? "" }

    /// The lines split into runs that share a date of service, in date order. Split
    /// once, when the context is made: every rule walks them.
    public let days: [ArraySlice<ClaimLine>]

    private static func days(of lines: ArraySlice<ClaimLine>) -> [ArraySlice<ClaimLine>] {
        var result: [ArraySlice<ClaimLine>] = []
        var start = lines.startIndex
        for index in lines.indices.dropFirst() where lines[index].serviceDate != lines[start].serviceDate {
            result.append(lines[start..<index])
            start = index
        }
        if start < lines.endIndex { result.append(lines[start...]) }
        return result
    }
}

/// What every rule sees: all pump-related lines of the run and of history, grouped
/// by patient, with the reference data and settings in force.
public struct AuditContext: Sendable {
    public let patients: [PatientLines]
    public let configuration: AuditConfiguration

    /// Groups `lines` by patient, sorting them once; each patient's lines are a
    /// slice of the one sorted array.
    public init(lines: consuming [ClaimLine], configuration: AuditConfiguration) {
        Self.sortByPatientThenDate(&lines)
        var patients: [PatientLines] = []
        var start = lines.startIndex
        for index in lines.indices.dropFirst() where lines[index].patientID != lines[start].patientID {
            patients.append(PatientLines(lines: lines[start..<index]))
            start = index
        }
        if start < lines.endIndex { patients.append(PatientLines(lines: lines[start...])) }
        self.patients = patients
        self.configuration = configuration
    }

    public var reference: ReferenceData { configuration.reference }

    /// Sorts by patient id, then `ClaimLine.chronologicalOrder`, in place. `Array.sort`
    /// would take a scratch buffer of half the lines; this sorts small keys and then
    /// moves each line once, following the permutation's cycles.
    static func sortByPatientThenDate(_ lines: inout [ClaimLine]) {
        // The text keys read once per line, not at every comparison (each read of a
        // line's text copies it out of the line's box).
        let patients = lines.map(\.patientID)
        let claims = lines.map(\.claimID)
        var order = Array(lines.indices)
        lines.withUnsafeBufferPointer { buffer in
            // `ClaimLine.chronologicalOrder` within a patient, then the order given.
            order.sort { i, j in
                if patients[i] != patients[j] { return patients[i] < patients[j] }
                if buffer[i].serviceDate != buffer[j].serviceDate {
                    return buffer[i].serviceDate < buffer[j].serviceDate
                }
                if claims[i] != claims[j] { return claims[i] < claims[j] }
                let (a, b) = (buffer[i].lineNumber, buffer[j].lineNumber)
                if a != b { return (a ?? 0) < (b ?? 0) }
                let (x, y) = (buffer[i].source, buffer[j].source)
                if x != y { return x < y }
                return i < j
            }
        }
        // order[k] is the index of the line that belongs at k.
        var placed = [Bool](repeating: false, count: lines.count)
        for start in lines.indices where !placed[start] && order[start] != start {
            let held = lines[start]
            var target = start
            while true {
                placed[target] = true
                let source = order[target]
                if source == start {
                    lines[target] = held
                    break
                }
                lines[target] = lines[source]
                target = source
            }
        }
    }

    /// Every patient's dates of service, each the run of that patient's lines on one
    /// date: what the rules that check one date at a time walk over.
    public var patientDays: some Sequence<ArraySlice<ClaimLine>> {
        patients.lazy.flatMap(\.days)
    }
}

extension ClaimLine {
    /// Date, then claim id and line number, then where it was read.
    public static func chronologicalOrder(_ a: ClaimLine, _ b: ClaimLine) -> Bool {
        if a.serviceDate != b.serviceDate { return a.serviceDate < b.serviceDate }
        if a.claimID != b.claimID { return a.claimID < b.claimID }
        if a.lineNumber != b.lineNumber { return (a.lineNumber ?? 0) < (b.lineNumber ?? 0) }
        return a.source < b.source
    }

    /// How messages name a line: "claim C1 line 2 (CODE)".
    public var citationName: String {
        "claim \(claimID)\(lineNumber.map { " line \($0)" } ?? "") (\(code))"
    }
}
