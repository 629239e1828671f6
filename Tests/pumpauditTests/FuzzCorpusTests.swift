import Foundation
import Testing

/// Every input the fuzzer was seeded with or found a crash on, replayed: no crash,
/// and one core and two cores agree.
@Suite struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func theCorpusReplaysCleanly() throws {
        let corpus = Self.root.appendingPathComponent("Tests/FuzzCorpus").path
        let samples = Self.root.appendingPathComponent("SampleClaims").path
        let seeds: [String] = try FileManager.default.contentsOfDirectory(atPath: corpus).map { corpus + "/" + $0 }
        let sampleNames: [String] = try FileManager.default.contentsOfDirectory(atPath: samples).filter {
            $0.hasPrefix("0")
        }
        let files = seeds + sampleNames.map { samples + "/" + $0 }
        #expect(files.count >= 19)
        let process = Process()
        process.executableURL = PumpAuditProcess.binary.deletingLastPathComponent().appendingPathComponent(
            "IngestFuzzer")
        process.arguments = files
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text.contains("replayed \(files.count) inputs"))
    }
}
