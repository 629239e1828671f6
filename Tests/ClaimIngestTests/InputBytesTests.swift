import ClaimModel
import Foundation
import TestSupport
import Testing

@testable import ClaimIngest

/// Bytes in memory are ingested exactly as the same bytes in a file: the fuzzer relies on it.
@Suite struct InputBytesTests {
    static func samples() throws -> [String] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SampleClaims").path
        return try InputDiscovery.files(in: [folder])
    }

    @Test(arguments: [1, 2, 5])
    func memoryAndFileGiveTheSameResult(jobs: Int) throws {
        // Also a file whose cuts fall inside notes, so that the memory read falls back to one core too.
        let scratch = ScratchFolder()
        let cut = scratch.write("cut.csv", ParallelCutTests.claims(rows: 2000, parts: 5, placement: .everyCut))
        for file in try Self.samples() + [cut] {
            var ingestor = ClaimIngestor(chunkSize: 256)
            ingestor.parallelism = jobs
            ingestor.minimumParallelBytes = 0
            var fromFile: ([ClaimLine], [Rejection]) = ([], [])
            let fileSummary = try ingestor.ingest(
                file: file, accept: { fromFile.0.append($0) }, reject: { fromFile.1.append($0) })
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            var fromMemory: ([ClaimLine], [Rejection]) = ([], [])
            let memorySummary = try data.withUnsafeBytes { bytes in
                try ingestor.ingest(
                    bytes: bytes, named: file, accept: { fromMemory.0.append($0) }, reject: { fromMemory.1.append($0) })
            }
            #expect(memorySummary == fileSummary, "\(file)")
            #expect(fromMemory.0 == fromFile.0, "\(file)")
            #expect(fromMemory.1 == fromFile.1, "\(file)")
        }
    }
}
