import Foundation

@testable import ClaimIngest

/// One record as plain values, for comparing reader output.
struct ReadRecord: Equatable, CustomStringConvertible {
    var line: Int
    var fields: [String]
    var raw: String
    var problem: MalformedRecord.Problem?

    var description: String { "\(line): \(problem.map { "\($0) " } ?? "")\(fields) raw=\(raw.debugDescription)" }
}

/// Reads a file through `CSVRecordReader` into plain values.
func readRecords(
    _ path: String, chunkSize: Int = CSVRecordReader.defaultChunkSize,
    maxRecordBytes: Int = CSVRecordReader.defaultMaxRecordBytes
) throws -> (delimiter: UInt8?, records: [ReadRecord]) {
    let fd = open(path, O_RDONLY)
    precondition(fd >= 0)
    defer { close(fd) }
    let reader = try CSVRecordReader(fileDescriptor: fd, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
    var records: [ReadRecord] = []
    try reader.read { event in
        switch event {
        case .record(let record):
            let fields = (0..<record.fieldCount).map { String(decoding: record.field($0), as: UTF8.self) }
            records.append(
                ReadRecord(line: record.line, fields: fields, raw: String(decoding: record.raw, as: UTF8.self)))
        case .malformed(let malformed):
            records.append(
                ReadRecord(
                    line: malformed.line, fields: [], raw: String(decoding: malformed.raw, as: UTF8.self),
                    problem: malformed.problem))
        }
    }
    return (reader.delimiter, records)
}
