import ClaimIngest
import ClaimModel

/// Builds the run's reference data: the built-in defaults, with the CMS files the
/// user names loaded over them.
enum ReferenceLoading {
    static func load(ptpFiles: [String], mueFile: String?) throws -> ReferenceData {
        var reference = ReferenceData.builtIn
        for file in ptpFiles {
            reference.ptp.override(with: try CMSReferenceFiles.loadPTP(file), from: file)
        }
        if let mueFile {
            reference.mue.override(with: try CMSReferenceFiles.loadMUE(mueFile), from: mueFile)
        }
        return reference
    }

    /// One line per table for the summary.
    static func describe(_ reference: ReferenceData) -> [String] {
        let ptp =
            reference.ptp.loadedFiles.isEmpty
            ? "built-in" : "built-in, overridden by " + reference.ptp.loadedFiles.joined(separator: ", ")
        let mue =
            reference.mue.loadedFiles.isEmpty
            ? "built-in" : "built-in, overridden by " + reference.mue.loadedFiles.joined(separator: ", ")
        return [
            "NCCI PTP edits: \(ptp) (\(reference.ptp.count) edits)",
            "MUE values: \(mue) (\(reference.mue.count) codes)",
        ]
    }
}
