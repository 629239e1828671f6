import ClaimModel

/// Reads the `--locations FILE` table: which place of service each facility or
/// service location bills its professional lines at.
///
/// The first row is the header, with an NPI column (`npi`, `Facility NPI`,
/// `Location NPI`...) and a place-of-service column (`place_of_service`, `POS`,
/// `Place of Service`...); other columns are ignored. Comma, tab or pipe. A file
/// without those columns, or a row whose NPI or place cannot be read, is an error
/// naming the file, the line and the column: a wrong location table would make
/// wrong findings, so the run stops.
public enum LocationsFile {
    /// Normalised headers (`ClaimField.normalize`) that name the NPI column, best first.
    static let npiHeaders = ["npi", "facilitynpi", "locationnpi", "servicelocationnpi", "servicefacilitynpi"]
    /// Normalised headers that name the place-of-service column, best first.
    static let placeHeaders = ["placeofservice", "placeofservicecode", "pos", "poscode", "expectedplaceofservice"]

    /// NPI -> two-digit place of service.
    public static func load(_ path: String) throws -> [String: String] {
        let reader = try CSVRecordReader(input: InputBytes.file(path).open(name: path))
        var header: Header?
        var places: [String: String] = [:]
        var listedOn: [String: Int] = [:]
        try reader.read { event in
            switch event {
            case .malformed(let malformed):
                throw IngestError.badReferenceFile(file: path, line: malformed.line, problem: "\(malformed.problem)")
            case .record(let record):
                let cells = (0..<record.fieldCount).map {
                    String(decoding: record.field($0), as: UTF8.self).trimmingSpaces
                }
                if cells.allSatisfy(\.isEmpty) { return }
                guard let header else {
                    header = try Header(cells, path: path, line: record.line)
                    return
                }
                let (npiColumn, placeColumn, headers) = (header.npi, header.place, header.names)
                guard cells.count == headers.count else {
                    throw IngestError.badReferenceFile(
                        file: path, line: record.line,
                        problem: "expected \(headers.count) columns like the header, found \(cells.count)")
                }
                let npi = cells[npiColumn]
                guard npi.count == 10, npi.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    throw cellError(path, record.line, npiColumn, headers, "'\(npi)' is not a 10-digit NPI")
                }
                guard let place = placeOfService(cells[placeColumn]) else {
                    throw cellError(
                        path, record.line, placeColumn, headers,
                        "'\(cells[placeColumn])' is not a two-digit place of service")
                }
                if let earlier = places[npi], earlier != place {
                    throw cellError(
                        path, record.line, placeColumn, headers,
                        "NPI \(npi) is listed at POS \(earlier) on line \(listedOn[npi] ?? 0) and at POS \(place) here")
                }
                places[npi] = place
                listedOn[npi] = listedOn[npi] ?? record.line
            }
        }
        guard header != nil else {
            throw IngestError.badReferenceFile(
                file: path, line: nil,
                problem: "the locations file is empty: "
                    + "it needs a header row with the columns npi and place_of_service")
        }
        return places
    }

    /// The header row: the headers as written and the two columns read.
    private struct Header {
        let names: [String]
        let npi: Int
        let place: Int

        init(_ cells: [String], path: String, line: Int) throws {
            let normalized = cells.map(ClaimField.normalize)
            func column(_ candidates: [String]) -> Int? {
                candidates.lazy.compactMap { normalized.firstIndex(of: $0) }.first
            }
            guard let npi = column(LocationsFile.npiHeaders), let place = column(LocationsFile.placeHeaders) else {
                throw IngestError.badReferenceFile(
                    file: path, line: line,
                    problem: "not a locations file: the header needs an NPI column (npi, Facility NPI, Location NPI) "
                        + "and a place-of-service column (place_of_service, POS, Place of Service); found "
                        + cells.map { "'\($0)'" }.joined(separator: ", "))
            }
            names = cells
            self.npi = npi
            self.place = place
        }
    }

    /// "22" -> "22", "2" -> "02"; nil for anything else.
    private static func placeOfService(_ cell: String) -> String? {
        guard (1...2).contains(cell.count), cell.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return cell.count == 1 ? "0" + cell : cell
    }

    private static func cellError(_ path: String, _ line: Int, _ column: Int, _ headers: [String], _ problem: String)
        -> IngestError
    {
        .badReferenceFile(file: path, line: line, problem: "column \(column + 1) (\(headers[column])): \(problem)")
    }
}
