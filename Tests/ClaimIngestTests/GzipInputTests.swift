import ClaimModel
import Crypto
import Foundation
import TestSupport
import Testing

@testable import ClaimIngest

/// A gzip-compressed export is read as the text it holds: recognised by its first
/// bytes, inflated while it streams, on one core.
@Suite struct GzipInputTests {
    static let text =
        "claim_id,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity,paid_amount\n"
        + "C1,P1,2026-10-05,62369,1,90.00\nC2,P1,2026-10-05,99213,1,70.00\nC3,P2,2026-10-06,80053,1,10.00\n"
        + "C4,P2,2026-13-06,62370,1,95.00\n"

    private func read(_ file: String, parallelism: Int = 1) throws -> (
        lines: [ClaimLine], rejections: [Rejection], summary: InputFileSummary
    ) {
        var ingestor = ClaimIngestor(chunkSize: 64)
        ingestor.parallelism = parallelism
        ingestor.minimumParallelBytes = 0
        var lines: [ClaimLine] = []
        var rejections: [Rejection] = []
        let summary = try ingestor.ingest(
            file: file, accept: { lines.append($0) }, reject: { rejections.append($0) })
        return (lines, rejections, summary)
    }

    @Test(arguments: [1, 2])
    func aGzipFileGivesWhatItsTextGives(parallelism: Int) throws {
        let folder = ScratchFolder()
        let plain = try read(folder.write("claims.csv", Self.text))
        let compressed = try gzipped(Array(Self.text.utf8))
        // Named .csv: the bytes, not the name, say it is compressed.
        let zipped = try read(folder.write("claims-gz.csv", bytes: compressed), parallelism: parallelism)
        #expect(zipped.lines.map(\.claimID) == plain.lines.map(\.claimID))
        #expect(zipped.lines.map(\.source.line) == plain.lines.map(\.source.line))
        #expect(zipped.rejections.map(\.source.line) == plain.rejections.map(\.source.line))
        #expect(zipped.rejections.map(\.reason) == plain.rejections.map(\.reason))
        #expect(zipped.summary.rowsRead == 4)
        #expect(zipped.summary.rowsOutOfScope == plain.summary.rowsOutOfScope)
        #expect(zipped.summary.compression == "gzip")
        #expect(plain.summary.compression == nil)
        // The hash is the stored file's, as `sha256sum` gives it.
        let digest = SHA256.hash(data: Data(compressed)).map { String(format: "%02x", $0) }.joined()
        #expect(zipped.summary.sha256 == digest)
    }

    @Test func membersOfAConcatenatedGzipAreReadInOrder() throws {
        let folder = ScratchFolder()
        let lines = Self.text.split(separator: "\n", omittingEmptySubsequences: false)
        let first = lines[0...2].joined(separator: "\n") + "\n"
        let second = lines[3...].joined(separator: "\n")
        let bytes = try gzipped(Array(first.utf8)) + gzipped(Array(second.utf8))
        let result = try read(folder.write("two-members.csv.gz", bytes: bytes))
        #expect(result.summary.rowsRead == 4)
        #expect(result.lines.map(\.claimID) == ["C1", "C2"])
    }

    @Test func aTruncatedOrDamagedGzipStopsTheRunNamingTheFile() throws {
        let folder = ScratchFolder()
        let compressed = try gzipped(Array(String(repeating: Self.text, count: 50).utf8))
        let truncated = folder.write("truncated.csv.gz", bytes: Array(compressed.prefix(compressed.count / 2)))
        #expect {
            try read(truncated)
        } throws: { error in
            "\(error)".contains("truncated.csv.gz") && "\(error)".contains("ends inside a member")
        }
        var damaged = compressed
        for index in 20..<60 { damaged[index] ^= 0x5A }
        let file = folder.write("damaged.csv.gz", bytes: damaged)
        #expect {
            try read(file)
        } throws: { error in
            "\(error)".contains("damaged.csv.gz") && "\(error)".contains("damaged")
        }
    }

    @Test func aPlainFileNamedGzIsReadAsText() throws {
        let folder = ScratchFolder()
        let result = try read(folder.write("plain.csv.gz", Self.text))
        #expect(result.summary.rowsRead == 4)
        #expect(result.summary.compression == nil)
    }

    @Test func aFolderContributesItsCompressedExports() throws {
        let folder = ScratchFolder()
        folder.write("a.csv", Self.text)
        folder.write("b.CSV.GZ", bytes: try gzipped(Array(Self.text.utf8)))
        folder.write("c.gz", bytes: try gzipped(Array(Self.text.utf8)))
        let files = try InputDiscovery.files(in: [folder.path]).map { ($0 as NSString).lastPathComponent }
        #expect(files == ["a.csv", "b.CSV.GZ"])
    }
}
