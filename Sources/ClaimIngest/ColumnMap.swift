import ClaimModel

/// Which column of one file holds which field.
///
/// Built from a file's header row. A header matches a field through, in order of
/// preference: the user's `--columns` mapping, the canonical name, then the aliases
/// in their listed order. When two headers match one field, the more preferred wins;
/// two equally good matches are an error, because guessing would audit the wrong data.
public struct ColumnMap: Sendable, Equatable {
    /// Field -> 0-based column index. In a wide file, the per-line fields' columns of
    /// its first service line.
    public private(set) var columns: [ClaimField: Int]
    /// The headers as they appear in the file.
    public let headers: [String]
    /// For a file whose rows carry several service lines in numbered columns
    /// (`HCPCS_CD_1` ... `HCPCS_CD_13`): its lines' columns; nil for one line a row.
    public private(set) var wide: WideColumns?
    /// Columns that look like more service lines or codes than the map reads, in file
    /// order (see `ignoredColumns`): the run names them rather than narrow in silence.
    public let ignored: [Int]
    /// In the map of one service line of a wide file (`forLine`): its own diagnosis column.
    private(set) var lineDiagnosis: Int?

    /// `suggestingNearest: false` skips the nearest-header suggestions of a missing
    /// column: for a row tried as a repeated header, where only success matters.
    public init(headers: [String], file: String, custom: ColumnMapping = .none, suggestingNearest: Bool = true) throws {
        self.headers = headers
        let keys = headers.map(ClaimField.normalize)
        var best: [ClaimField: (column: Int, rank: Int)] = [:]
        // Headers no name matched, for the numbered patterns.
        var unnamed: [(column: Int, key: String)] = []
        for (column, key) in keys.enumerated() {
            guard !key.isEmpty else { continue }
            guard let (field, rank) = Self.match(key, custom: custom) else {
                unnamed.append((column, key))
                continue
            }
            if let current = best[field] {
                if rank == current.rank {
                    throw IngestError.ambiguousColumns(
                        file: file, field: field.canonicalName, headers: [headers[current.column], headers[column]],
                        mapping: custom.source, byMapping: rank == 0)
                }
                if rank > current.rank { continue }
            }
            best[field] = (column, rank)
        }
        // A row carries several service lines when its codes are numbered columns and no
        // single column holds the code.
        let families = NumberedFamilies(unnamed, custom: custom)
        if best[.code] == nil, let codes = families.members[.code] {
            let lines = families.lines(codes: codes)
            wide = WideColumns(layout: WideLayout.of(normalizedHeaders: Set(keys)), lines: lines)
            for (field, column) in lines[0].columns where best[field] == nil {
                best[field] = (column, 0)
            }
        }
        // No cell names a known column: the first row is data, the export has no header.
        // Its cells are not repeated in the message, since they hold a claim's patient data.
        guard !best.isEmpty else { throw IngestError.noHeaderRow(file: file, cells: headers.count) }
        columns = best.mapValues(\.column)
        ignored = Self.ignoredColumns(
            candidates: unnamed, used: Self.columnsRead(columns, wide: wide), familyColumns: families.columns,
            perLineKeys: best.filter { $0.key.isPerLine }.map { keys[$0.value.column] })
        let present = Set(best.keys)
        let missing = ClaimField.required.filter { !present.contains($0) && !Self.standsIn(for: $0, present) }
        if !missing.isEmpty {
            throw IngestError.missingRequiredColumns(
                file: file, missing: missing.map(\.canonicalName), found: headers,
                suggestions: suggestingNearest ? Self.nearestHeaders(for: missing, in: headers) : [:])
        }
    }

    /// Every column the map reads: its fields', and each service line's of a wide file,
    /// the lines' own diagnoses included.
    var columnsRead: Set<Int> { Self.columnsRead(columns, wide: wide) }

    private static func columnsRead(_ columns: [ClaimField: Int], wide: WideColumns?) -> Set<Int> {
        var read = Set(columns.values)
        for line in wide?.lines ?? [] {
            read.formUnion(line.columns.values)
            if let diagnosis = line.diagnosis { read.insert(diagnosis) }
        }
        return read
    }

    /// The map one service line of a wide row is read with: its per-line columns in
    /// place of the first line's, the claim's columns shared.
    func forLine(_ line: LineColumns) -> ColumnMap {
        var map = self
        for (field, column) in line.columns { map.columns[field] = column }
        map.lineDiagnosis = line.diagnosis
        return map
    }

    public subscript(field: ClaimField) -> Int? { columns[field] }

    /// Whether the file's other columns make up for a missing required one: the claim's
    /// start date dates its lines (RIF and CCLF claim headers have no line date), and a
    /// file with a type of bill but no code is a facility claim header (CCLF1), whose
    /// rows are the facility claims themselves.
    private static func standsIn(for field: ClaimField, _ present: Set<ClaimField>) -> Bool {
        switch field {
        case .serviceDate: return present.contains(.claimStartDate)
        case .code: return present.contains(.billType) || present.contains(.facilityType)
        default: return false
        }
    }

    /// The header of a column, for messages.
    public func header(ofColumn index: Int) -> String {
        headers.indices.contains(index) ? headers[index] : "column \(index + 1)"
    }

    /// Rank 0 is a user mapping, 1 the canonical name, 2 and on the aliases in order. A
    /// header that one of the user's numbered patterns matches is left to the pattern.
    private static func match(_ key: String, custom: ColumnMapping) -> (ClaimField, Int)? {
        if let field = custom.field(forNormalizedHeader: key) { return (field, 0) }
        if custom.hasPattern(matching: key) { return nil }
        return aliasIndex[key]
    }

    private static let aliasIndex: [String: (ClaimField, Int)] = {
        var index: [String: (ClaimField, Int)] = [:]
        for field in ClaimField.all {
            for (rank, name) in ([field.canonicalName] + field.aliases).enumerated() {
                let key = ClaimField.normalize(name)
                if index[key] == nil { index[key] = (field, rank + 1) }
            }
        }
        return index
    }()

    /// Every normalized name that some field answers to, with that field; for tests
    /// that the table is unambiguous.
    static func allNames() -> [(key: String, field: ClaimField)] {
        ClaimField.all.flatMap { field in
            ([field.canonicalName] + field.aliases).map { (ClaimField.normalize($0), field) }
        }
    }

    /// For each missing field, the file's headers closest to one of its names: within a
    /// few edits (`Pateint ID`), else holding one of its names or held in one
    /// (`Patient Identifier`, `Service Date (DOS)`, `Line 1 CPT`), ranked after.
    static func nearestHeaders(for missing: [ClaimField], in headers: [String]) -> [String: [String]] {
        // Each header is normalized once, distances are computed only within the
        // tolerance (`editDistance(_:_:limit:)`), and the work buffers are reused: a file
        // of thousands of columns, or a fuzzed header, stays cheap to report on.
        let keys = headers.map { Array(ClaimField.normalize($0).utf8) }
        var rows = DistanceRows()
        var result: [String: [String]] = [:]
        for field in missing {
            let names = ([field.canonicalName] + field.aliases).map { Array(ClaimField.normalize($0).utf8) }
            var scored: [(String, Int)] = []
            for (header, key) in zip(headers, keys) where !key.isEmpty {
                let tolerance = max(2, key.count / 3)
                let distance = names.compactMap { editDistance(key, $0, limit: tolerance, rows: &rows) }.min()
                if let distance {
                    scored.append((header, distance))
                } else if names.contains(where: { contains(key, $0) || contains($0, key) }) {
                    scored.append((header, Int.max))
                }
            }
            let nearest = scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
            if !nearest.isEmpty { result[field.canonicalName] = nearest }
        }
        return result
    }

    /// Whether `text` holds `part`, a name of at least three characters (`cpt` in
    /// `line1cpt`; shorter ones, such as `dx`, sit inside too many unrelated headers).
    private static func contains(_ text: [UInt8], _ part: [UInt8]) -> Bool {
        guard part.count >= 3, part.count <= text.count else { return false }
        return (0...(text.count - part.count)).contains { start in
            text[start..<(start + part.count)].elementsEqual(part)
        }
    }

    /// Levenshtein distance over characters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        editDistance(a, b, limit: Int.max)!
    }

    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int? {
        var rows = DistanceRows()
        return editDistance(Array(a.utf8), Array(b.utf8), limit: limit, rows: &rows)
    }

    /// Two rows of the distance table, kept between calls.
    struct DistanceRows {
        var previous: [Int] = []
        var current: [Int] = []
    }

    /// The Levenshtein distance when it is at most `limit`, else nil. Only the band of
    /// cells within `limit` of the diagonal is computed, and the search stops as soon as
    /// a whole row exceeds it: the cost follows the limit, not the lengths' product.
    static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int, rows: inout DistanceRows) -> Int? {
        guard abs(a.count - b.count) <= limit else { return nil }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        let beyond = limit == Int.max ? Int.max : limit + 1
        rows.previous.removeAll(keepingCapacity: true)
        rows.previous.append(contentsOf: (0...b.count).lazy.map { min($0, beyond) })
        rows.current.removeAll(keepingCapacity: true)
        rows.current.append(contentsOf: repeatElement(beyond, count: b.count + 1))
        for i in 1...a.count {
            let low = limit == Int.max ? 1 : max(1, i - limit)
            let high = limit == Int.max ? b.count : min(b.count, i + limit)
            rows.current[0] = min(i, beyond)
            if low > 1 { rows.current[low - 1] = beyond }
            var rowMinimum = rows.current[0]
            if low <= high {
                for j in low...high {
                    let substitution = rows.previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                    let value = min(substitution, rows.previous[j] + 1, rows.current[j - 1] + 1, beyond)
                    rows.current[j] = value
                    rowMinimum = min(rowMinimum, value)
                }
            }
            if high < b.count { rows.current[high + 1] = beyond }
            if rowMinimum >= beyond { return nil }
            swap(&rows.previous, &rows.current)
        }
        let distance = rows.previous[b.count]
        return distance <= limit ? distance : nil
    }
}
