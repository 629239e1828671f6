import ClaimAudit
import ClaimIngest
import ClaimModel
import Foundation
import TestSupport

/// Turns CSV text into claim lines through the real ingest stage.
enum AuditHarness {
    static func lines(_ csv: String, file: String = "example.csv") throws -> [ClaimLine] {
        let folder = ScratchFolder()
        let path = folder.write(file, csv)
        var lines: [ClaimLine] = []
        var rejected: [Rejection] = []
        _ = try ClaimIngestor().ingest(
            file: path,
            accept: { line in
                var named = line
                named.source.file = file
                lines.append(named)
            }, reject: { rejected.append($0) })
        guard rejected.isEmpty else {
            throw HarnessError.rejectedRows(rejected.map { "\($0.source.line): \($0.reason)" })
        }
        withExtendedLifetime(folder) {}
        return lines
    }

    /// Rows in the standard example header.
    static func rows(_ rows: String) throws -> [ClaimLine] {
        try lines(RuleExample.standardHeader + "\n" + rows + "\n")
    }

    static func audit(_ rows: String, rules: [any Rule.Type], configuration: AuditConfiguration = AuditConfiguration())
        throws -> [Finding]
    {
        AuditEngine(configuration: configuration, rules: rules).audit(try self.rows(rows)).findings
    }

    enum HarnessError: Error {
        case rejectedRows([String])
    }
}

/// The path of a file in SampleClaims/, found from this source file.
func sampleFile(_ relative: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SampleClaims").appendingPathComponent(relative).path
}

/// Every line of the files in SampleClaims/, through real ingest.
func sampleClaimLines() throws -> [ClaimLine] {
    var lines: [ClaimLine] = []
    for file in try InputDiscovery.files(in: [sampleFile("")]) {
        _ = try ClaimIngestor().ingest(file: file, accept: { lines.append($0) }, reject: { _ in })
    }
    return lines
}
