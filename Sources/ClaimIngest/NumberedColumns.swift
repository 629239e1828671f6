import ClaimModel

/// A header pattern with `{n}` where a service line's number goes: `HCPCS_CD_{n}` matches
/// `HCPCS_CD_1` ... `HCPCS_CD_45`, and `Line {n} CPT` matches `Line 2 CPT`. Matching
/// ignores case, spaces, underscores and punctuation, as header matching does.
struct NumberedPattern: Sendable, Hashable {
    /// The pattern as written, for messages.
    let text: String
    /// The normalized text before and after `{n}`.
    private let prefix: String
    private let suffix: String

    /// Nil unless `pattern` holds `{n}` exactly once, with some letters or digits around it.
    init?(_ pattern: String) {
        guard let marker = pattern.range(of: "{n}"), !pattern[marker.upperBound...].contains("{n}") else {
            return nil
        }
        text = pattern
        prefix = ClaimField.normalize(String(pattern[..<marker.lowerBound]))
        suffix = ClaimField.normalize(String(pattern[marker.upperBound...]))
        guard !prefix.isEmpty || !suffix.isEmpty else { return nil }
    }

    /// The line number a normalized header carries in this pattern, if it matches.
    func number(inNormalized key: String) -> Int? {
        let utf8 = key.utf8
        guard utf8.count > prefix.utf8.count + suffix.utf8.count, key.hasPrefix(prefix), key.hasSuffix(suffix) else {
            return nil
        }
        let digits = utf8.dropFirst(prefix.utf8.count).dropLast(suffix.utf8.count)
        guard digits.count <= 4, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let number = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return number >= 1 ? number : nil
    }

    /// The built-in patterns, each with its field, in the order they are tried.
    static let builtIn: [(pattern: NumberedPattern, field: ClaimField)] = ClaimField.all.flatMap { field in
        field.linePatterns.compactMap { NumberedPattern($0) }.map { ($0, field) }
    }
}

/// The columns of one service line of a wide row.
public struct LineColumns: Sendable, Equatable {
    /// The line number: the suffix of its columns.
    public let number: Int
    /// Per-line fields and their column for this line (the code at least).
    public let columns: [ClaimField: Int]
    /// The line's own diagnosis column, read before the claim's.
    public let diagnosis: Int?
}

/// How a wide file's rows become service lines.
public struct WideColumns: Sendable, Equatable {
    public let layout: WideLayout
    /// In line-number order.
    public let lines: [LineColumns]
}

/// The numbered columns of a header that no name matched exactly, grouped by the field
/// their pattern gives: field -> line number -> column.
struct NumberedFamilies {
    private(set) var members: [ClaimField: [Int: Int]] = [:]
    /// Every column some pattern matched.
    private(set) var columns: Set<Int> = []

    /// `candidates` are (column, normalized header). A user's patterns are tried first,
    /// then the built-in ones; the first header of a field and number wins.
    init(_ candidates: [(column: Int, key: String)], custom: ColumnMapping) {
        let patterns = custom.patterns + NumberedPattern.builtIn
        for (column, key) in candidates {
            for (pattern, field) in patterns {
                guard let number = pattern.number(inNormalized: key) else { continue }
                if members[field, default: [:]][number] == nil { members[field, default: [:]][number] = column }
                columns.insert(column)
                break
            }
        }
    }

    /// The service lines of a wide file whose codes are the `codes` family, and the
    /// columns they read.
    func lines(codes: [Int: Int]) -> [LineColumns] {
        // A diagnosis field's family is the lines' own diagnoses; the others are per-line fields.
        let diagnosis = members.filter { $0.key.isDiagnosis }.sorted { $0.key < $1.key }.first?.value ?? [:]
        return codes.keys.sorted().map { number in
            var columns: [ClaimField: Int] = [:]
            for (field, family) in members where !field.isDiagnosis {
                if let column = family[number] { columns[field] = column }
            }
            return LineColumns(number: number, columns: columns, diagnosis: diagnosis[number])
        }
    }
}

extension ColumnMap {
    /// A header's normalized key without its trailing digits, when it has some:
    /// `hcpcscd13` -> `hcpcscd`.
    static func numberedStem(_ key: String) -> Substring? {
        let stem = key.utf8.reversed().drop { $0 >= 0x30 && $0 <= 0x39 }.count
        guard stem < key.utf8.count, stem > 0 else { return nil }
        return key[..<key.utf8.index(key.startIndex, offsetBy: stem)]
    }

    /// Headers that look like more service lines or codes than the map reads: numbered
    /// columns of a pattern no line reads, and numbered columns named like a per-line
    /// column the map reads (`HCPCS_CD_2` beside a mapped `HCPCS_CD_1`, `CPT 2` beside `CPT`).
    /// Only headers that no name matched count: two names for one field are a choice
    /// between them, documented, not a loss.
    static func ignoredColumns(
        candidates: [(column: Int, key: String)], used: Set<Int>, familyColumns: Set<Int>,
        perLineKeys: [String]
    ) -> [Int] {
        var stems = Set<Substring>()
        for key in perLineKeys {
            stems.insert(numberedStem(key) ?? Substring(key))
        }
        return candidates.compactMap { column, key in
            guard !used.contains(column) else { return nil }
            if familyColumns.contains(column) { return column }
            guard let stem = numberedStem(key), stems.contains(stem) else { return nil }
            return column
        }
    }

    /// The ignored headers as the summary and the warning name them: runs of one stem
    /// as `HCPCS_CD_2..HCPCS_CD_13`.
    public var ignoredDescription: [String] {
        var result: [String] = []
        var index = 0
        let names = ignored.map { headers[$0] }
        while index < names.count {
            let stem = Self.numberedStem(ClaimField.normalize(names[index]))
            var end = index
            while end + 1 < names.count, stem != nil,
                Self.numberedStem(ClaimField.normalize(names[end + 1])) == stem
            {
                end += 1
            }
            result.append(
                end - index >= 2 ? "\(names[index])..\(names[end])" : names[index...end].joined(separator: ", "))
            index = end + 1
        }
        return result
    }
}

extension InputFileSummary {
    /// What a file's header gave: the fields found, the headers no field reads, the wide
    /// layout if any, and the columns that look like more lines than the map reads.
    mutating func describeColumns(of map: ColumnMap) {
        var present = Set(map.columns.keys)
        // The lines' own diagnoses are read as the first diagnosis.
        if map.wide?.lines.contains(where: { $0.diagnosis != nil }) == true { present.insert(.diagnosis(1)) }
        let used = map.columnsRead
        fieldsPresent = present.sorted().map(\.canonicalName)
        unmappedHeaders = map.headers.indices.filter { !used.contains($0) }.map { map.headers[$0] }
        wideLayout = map.wide.map { "\($0.layout.name), up to \($0.lines.count) service lines a row" }
        ignoredColumns = map.ignoredDescription
    }
}
