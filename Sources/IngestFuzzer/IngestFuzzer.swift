import ClaimIngest
import ClaimModel
import Foundation

/// Fuzzes the ingest stage: any bytes must ingest without a crash or a hang, and
/// reading them on two cores must give exactly what one core gives. Inputs are read
/// from memory (`ClaimIngestor.ingest(bytes:named:)`), so no execution touches a file.
///
/// Built by `scripts/fuzz` with `-sanitize=fuzzer -DFUZZING`, libFuzzer calls
/// `LLVMFuzzerTestOneInput`. Built as usual, it is a corpus replayer:
/// `IngestFuzzer FILE...` runs every file once, which is how crashers found by the
/// fuzzer become regression tests.
enum IngestFuzzer {
    /// The name the input is read under: it is read from memory, never written to a file.
    static let name = "fuzz-input.csv"

    static func run(_ bytes: UnsafeRawBufferPointer) {
        let one = ingest(bytes, parallelism: 1)
        let two = ingest(bytes, parallelism: 2)
        guard one == two else {
            fatalError(
                "one core and two cores disagree on \(bytes.count) bytes: \(String(describing: one)) vs \(String(describing: two))"
            )
        }
    }

    struct Outcome: Equatable {
        var lines: [ClaimLine] = []
        var rejections: [Rejection] = []
        var summary: InputFileSummary?
        var error: String?
    }

    /// Ingests the bytes as a file would be ingested; small chunks and no minimum size
    /// for a parallel read, so that short inputs exercise buffer refills and cuts.
    static func ingest(_ bytes: UnsafeRawBufferPointer, parallelism: Int) -> Outcome {
        var ingestor = ClaimIngestor(chunkSize: 64)
        ingestor.parallelism = parallelism
        ingestor.minimumParallelBytes = 0
        var outcome = Outcome()
        do {
            outcome.summary = try ingestor.ingest(
                bytes: bytes, named: name, accept: { outcome.lines.append($0) },
                reject: { outcome.rejections.append($0) })
        } catch {
            outcome.error = "\(error)"
        }
        return outcome
    }
}

#if FUZZING
    /// libFuzzer's driver (from `-sanitize=fuzzer`).
    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    /// SwiftPM names an executable's entry point `<target>_main`; libFuzzer's own
    /// `main` is then not linked, so the entry point hands over to libFuzzer's driver.
    @_cdecl("IngestFuzzer_main")
    public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
        var count = argc
        var arguments = argv
        return runFuzzerDriver(&count, &arguments) { data, size in
            IngestFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        }
    }
#else
    @main
    struct IngestFuzzerReplay {
        static func main() throws {
            let files = CommandLine.arguments.dropFirst()
            for file in files {
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                data.withUnsafeBytes { IngestFuzzer.run($0) }
            }
            print("replayed \(files.count) inputs: no crash, one core and two agree")
        }
    }
#endif
